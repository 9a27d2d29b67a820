import { afterEach, describe, expect, it } from 'vitest';
import type { OrgConfigInput } from '../../src/config/org-schema.js';
import { DIGEST_JOB } from '../../src/digest/service.js';
import { listRuns } from '../../src/jobs/run-log.js';
import { REMINDER_JOB } from '../../src/strategy/service.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { captureLogs, LEVEL, type LogLine } from '../support/log-capture.js';
import { orgConfigInput } from '../support/org-fixture.js';
import { manualClock } from '../support/temp-dir.js';

// Monday 2026-11-23 09:00 in Berlin = 08:00 UTC.
const MONDAY_9_BERLIN = Date.parse('2026-11-23T08:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Reminders (Billing on Mondays at 09:00, Shipping on Fridays at 16:00) and a digest for two managers. */
function config(): Partial<OrgConfigInput> {
  const base = orgConfigInput();
  return {
    reminders: { catch_up_minutes: 180 },
    departments: base.departments.map((d) =>
      d.id === 'billing'
        ? { ...d, reminder: { schedule: '0 9 * * 1', timezone: 'Europe/Berlin' } }
        : d.id === 'shipping'
          ? { ...d, reminder: { schedule: '0 16 * * 5', timezone: 'Europe/Berlin' } }
          : d,
    ),
    managers: [
      { user: 'U0MGRBILL1', departments: ['billing', 'shipping'] },
      { user: 'U0MGRPROD1', departments: ['product'] },
    ],
    digest: { catch_up_hours: 48 },
  };
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const warnings = (lines: LogLine[]) => lines.filter((l) => l.level >= LEVEL.warn);
const scheduleLines = (lines: LogLine[]) => lines.filter((l) => l.module === 'jobs');

describe('the scheduled-run policy, shared by reminders and digests', () => {
  it('logs no "missed while the app was down" on a brand-new install, then catches up or skips real misses', async () => {
    // A brand-new install starts on Monday at 09:30 Berlin: the Monday 09:00 reminder and digests are inside
    // their catch-up windows, Friday's reminder is days old. None of them was missed: the app did not exist.
    const { logger, lines } = captureLogs('info');
    const clock = manualClock(MONDAY_9_BERLIN + 30 * 60_000);
    h = await startHarness({ config: config(), clock, logger });
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    expect(warnings(lines)).toEqual([]);
    expect(scheduleLines(lines)).toEqual([]);
    expect(listRuns(h.loop.db, REMINDER_JOB)).toEqual([]);
    expect(listRuns(h.loop.db, DIGEST_JOB)).toEqual([]);
    expect(h.standIn.callsTo('chat.postMessage')).toHaveLength(0);

    // The app is then down over the next Friday 16:00 and Monday 09:00, and back on Monday at 13:00: Friday's
    // reminder and Monday's (four hours late, outside 180 min) are skipped with a warning each; the digests,
    // within 48 h, are caught up.
    await h.stopApp();
    clock.set(MONDAY_9_BERLIN + 7 * DAY + 4 * HOUR);
    await h.startApp();
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    const missed = warnings(lines).filter((l) => String(l.msg).includes('missed while the app was down'));
    expect(missed.map((l) => [l.job, l.subject])).toEqual([
      [REMINDER_JOB, 'billing'],
      [REMINDER_JOB, 'shipping'],
    ]);
    expect(listRuns(h.loop.db, REMINDER_JOB).map((r) => [r.subject, r.status])).toEqual([
      ['shipping', 'skipped'],
      ['billing', 'skipped'],
    ]);
    expect(listRuns(h.loop.db, DIGEST_JOB).map((r) => [r.subject, r.status])).toEqual([
      ['U0MGRBILL1', 'queued'],
      ['U0MGRPROD1', 'queued'],
    ]);
    expect(
      scheduleLines(lines)
        .filter((l) => l.level === LEVEL.info)
        .map((l) => [l.msg, l.subject, l.late]),
    ).toEqual([
      ['manager digest queued', 'U0MGRBILL1', true],
      ['manager digest queued', 'U0MGRPROD1', true],
    ]);
  });
});
