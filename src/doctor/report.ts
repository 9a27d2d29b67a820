/** What `npm run doctor` found: each check passed, worth a look, or must be fixed (with how). */
export type CheckStatus = 'ok' | 'warn' | 'fail';
export type Check = { status: CheckStatus; what: string; fix?: string };

const MARK: Record<CheckStatus, string> = { ok: '✓', warn: '!', fail: '✗' };

export function renderReport(sections: readonly { title: string; checks: readonly Check[] }[]): string {
  const lines: string[] = [];
  for (const section of sections) {
    lines.push(section.title);
    for (const c of section.checks) lines.push(`  ${MARK[c.status]} ${c.what}`);
    lines.push('');
  }
  const all = sections.flatMap((s) => s.checks);
  const toFix = all.filter((c) => c.status === 'fail');
  const toLook = all.filter((c) => c.status === 'warn');
  if (toFix.length === 0) {
    lines.push(`All good${toLook.length > 0 ? ` (${toLook.length} to look at)` : ''}.`);
  } else {
    lines.push(`To fix (${toFix.length}):`);
    toFix.forEach((c, i) => {
      lines.push(`  ${i + 1}. ${c.fix ?? c.what}`);
    });
  }
  for (const c of toLook) if (c.fix) lines.push(`  - ${c.fix}`);
  return `${lines.join('\n')}\n`;
}

export const hasFailures = (sections: readonly { checks: readonly Check[] }[]): boolean =>
  sections.some((s) => s.checks.some((c) => c.status === 'fail'));
