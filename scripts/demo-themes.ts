/**
 * `npm run demo:themes`: files a generated month of Acme Outdoor's customer feedback (October 2026, about 400
 * items; src/sandbox/demo/month-feedback.ts) through the real app and the sandbox's local Slack, with the
 * sandbox clock moving through the month, then prints what `/feedback themes month` answers company-wide and
 * for Billing and Product on the morning of 31 October. Deterministic: the same words every run. Uses its own
 * temporary database; nothing reaches Slack.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../src/logger.js';
import { askFeedback, fileMonth } from '../src/sandbox/demo/month.js';
import { generateMonth } from '../src/sandbox/demo/month-feedback.js';
import { PEOPLE } from '../src/sandbox/demo/people.js';
import { startSandbox } from '../src/sandbox/sandbox.js';

// Thursday 1 October 2026, 08:00 in Berlin.
const START = Date.parse('2026-10-01T06:00:00Z');
const ASKED_AT = Date.parse('2026-10-31T08:00:00Z');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'demo-themes-'));
  const sandbox = await startSandbox({
    logger: createLogger({ level: 'silent' }),
    port: 0,
    databasePath: join(dir, 'demo-themes.db'),
    weeks: 0,
    startAt: START,
  });
  try {
    const { workspace, standIn, clock, time } = sandbox;
    const deps = { workspace, standIn, clock, time };
    const items = generateMonth({ days: 30, perWeekday: 16, firstWeekday: 3 });
    const filed = await fileMonth(deps, items, START);
    clock.advanceTo(ASKED_AT);
    await deps.time.tick();
    const out = [`${filed.ids.filter((id) => id !== undefined).length} of ${items.length} items filed.`];
    for (const args of ['themes month', 'themes billing month', 'themes product month']) {
      out.push('', `> /feedback ${args}`, await askFeedback(deps, PEOPLE.manager, args));
    }
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo:themes failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
