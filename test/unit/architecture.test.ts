import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The room import rules of ARCHITECTURE.md: which folder of src/ may import which. A new import across rooms
 * that the table does not allow fails here; change ARCHITECTURE.md and this table together, or move the code.
 */
const ALLOWED: Record<string, readonly string[]> = {
  store: [],
  text: [],
  time: [],
  metrics: ['store'],
  jobs: ['store', 'time'],
  config: ['store', 'text', 'time', 'jobs'],
  slack: ['config', 'store', 'text'],
  feedback: ['config', 'metrics', 'slack', 'store', 'text', 'time'],
  kudos: ['config', 'slack', 'store', 'time'],
  strategy: ['config', 'feedback', 'jobs', 'metrics', 'slack', 'store', 'text', 'themes', 'time'],
  digest: ['config', 'feedback', 'jobs', 'metrics', 'slack', 'store', 'text', 'themes', 'time'],
  home: ['config', 'feedback', 'kudos', 'slack', 'strategy'],
  themes: ['config', 'feedback', 'jobs', 'metrics', 'slack', 'store', 'text', 'time'],
  retention: ['config', 'feedback', 'jobs', 'store', 'themes'],
  survey: ['config', 'feedback', 'slack', 'store'],
  loops: ['config', 'feedback', 'kudos', 'slack', 'store', 'text', 'time'],
  export: ['feedback', 'store', 'time'],
  observability: ['slack', 'store'],
  admin: ['config', 'feedback', 'retention', 'slack', 'strategy', 'themes'],
  outcomes: ['config', 'feedback', 'jobs', 'metrics', 'slack', 'store', 'text'],
  doctor: ['config', 'jobs', 'slack', 'store'],
  cli: ['config', 'doctor', 'export', 'jobs', 'retention', 'slack', 'store', 'time'],
};
/** Root modules every room may use. */
const SHARED_ROOT = new Set(['app-core', 'clock', 'errors', 'logger', 'signal']);
/** Slack-free domain code: pure functions over plain data and a clock. */
const DOMAIN = [
  'feedback/routing.ts',
  'feedback/sla.ts',
  'kudos/rules.ts',
  'metrics/numbers.ts',
  'strategy/commitments.ts',
  'themes/impact.ts',
  'themes/spike.ts',
  'themes/theme-totals.ts',
  'themes/top-themes.ts',
];

const SRC = join(import.meta.dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function importsOf(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/^(?:import|export)[^;]*?from '([^']+)';/gms)].map((m) => m[1] as string);
}

/** `feedback/service.ts` importing `../slack/ids.js` crosses from `feedback` into `slack`. */
function crossings(): { file: string; from: string; to: string }[] {
  const found: { file: string; from: string; to: string }[] = [];
  for (const path of files(SRC)) {
    const file = relative(SRC, path);
    const from = file.split('/')[0] ?? '';
    if (!(from in ALLOWED)) continue;
    for (const spec of importsOf(path)) {
      if (!spec.startsWith('.')) continue;
      const target = relative(SRC, join(path, '..', spec));
      const to = target.includes('/') ? (target.split('/')[0] ?? '') : target.replace(/\.js$/, '');
      if (to !== from) found.push({ file, from, to });
    }
  }
  return found;
}

describe('room imports (ARCHITECTURE.md)', () => {
  it('cross only where the table allows', () => {
    const refused = crossings().filter(
      ({ from, to }) => !SHARED_ROOT.has(to) && !(ALLOWED[from] ?? []).includes(to),
    );
    expect(refused).toEqual([]);
  });

  it('keep domain code free of Slack', () => {
    for (const file of DOMAIN) {
      const slack = importsOf(join(SRC, file)).filter((s) => s.includes('slack'));
      expect(slack, file).toEqual([]);
    }
  });
});
