import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimRun, listRuns } from '../../src/jobs/run-log.js';
import { findDueRun, runDueJobs, type ScheduledJob } from '../../src/jobs/scheduled-runs.js';
import { silentLogger, tempDatabase } from '../support/temp-dir.js';

const t = (iso: string) => Date.parse(iso);
let store: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  store = tempDatabase();
});
afterEach(() => store.remove());

/** What a minute tick at `now` finds due, for a subject the app has known since long before. */
function dueAt(schedule: string, timezone: string, now: number) {
  return findDueRun(store.db, {
    job: 'digest',
    subject: 'U1',
    schedule,
    timezone,
    now,
    catchUpMs: 48 * 3_600_000,
  });
}

function record(scheduledFor: number) {
  claimRun(
    store.db,
    {
      job: 'digest',
      subject: 'U1',
      scheduledFor,
      periodStart: scheduledFor,
      periodEnd: scheduledFor,
      status: 'queued',
      reason: undefined,
    },
    scheduledFor,
  );
}

describe('which run is due across daylight-saving changes (a process started fresh, nothing cached)', () => {
  beforeEach(() => {
    store.db
      .prepare("INSERT INTO job_subjects (job, subject, first_seen) VALUES ('digest', 'U1', ?)")
      .run(t('2026-01-01T00:00:00Z'));
  });

  it('runs a Sunday 01:30 New York digest once, when the clocks first show 01:30, not again in the repeated hour', () => {
    // 2026-11-01: New York goes from 02:00 EDT back to 01:00 EST, so 01:30 happens at 05:30Z and again at 06:30Z.
    // Sent at 01:30 EDT by the process that ran then; this one starts at 01:31 EST: already sent.
    record(t('2026-11-01T05:30:00Z'));
    expect(dueAt('30 1 * * 0', 'America/New_York', t('2026-11-01T06:31:00Z'))).toBeUndefined();
    expect(dueAt('30 1 * * 0', 'America/New_York', t('2026-11-01T09:00:00Z'))).toBeUndefined();
    expect(dueAt('30 1 * * 0', 'America/New_York', t('2026-11-01T05:31:00Z'))).toBeUndefined();
    // The next week is due at 01:30 EST.
    expect(dueAt('30 1 * * 0', 'America/New_York', t('2026-11-08T06:30:00Z'))?.due).toBe(
      t('2026-11-08T06:30:00Z'),
    );
  });

  it('runs a Sunday 02:30 Berlin digest once in the repeated hour too', () => {
    // 2026-10-25: Berlin goes from 03:00 CEST back to 02:00 CET; 02:30 is 00:30Z and again 01:30Z.
    record(t('2026-10-25T00:30:00Z'));
    expect(dueAt('30 2 * * 0', 'Europe/Berlin', t('2026-10-25T01:30:05Z'))).toBeUndefined();
    expect(dueAt('30 2 * * 0', 'Europe/Berlin', t('2026-10-25T00:30:05Z'))).toBeUndefined();
  });

  it('runs a time the clocks skip as soon as the clocks pass it, once', () => {
    // 2026-03-29: Berlin goes from 02:00 CET to 03:00 CEST; there is no 02:30, so the run is at 03:30 CEST (01:30Z),
    // as cron-parser's forward search and Temporal's "compatible" choice have it.
    expect(dueAt('30 2 * * 0', 'Europe/Berlin', t('2026-03-29T01:10:00Z'))?.due).toBe(
      t('2026-03-22T01:30:00Z'),
    );
    record(t('2026-03-22T01:30:00Z'));
    expect(dueAt('30 2 * * 0', 'Europe/Berlin', t('2026-03-29T01:10:00Z'))).toBeUndefined();
    expect(dueAt('30 2 * * 0', 'Europe/Berlin', t('2026-03-29T01:30:30Z'))?.due).toBe(
      t('2026-03-29T01:30:00Z'),
    );
    // 2026-03-08: New York skips 02:00-03:00 EST.
    expect(dueAt('30 2 * * 0', 'America/New_York', t('2026-03-08T07:31:00Z'))?.due).toBe(
      t('2026-03-08T07:30:00Z'),
    );
  });
});

describe('a third schedule costs a few lines', () => {
  const MIN = 60_000;
  const WEEK = 7 * 24 * 60 * MIN;

  it('gets the whole policy: nothing before it was known, on time once, caught up inside the window, skipped after', () => {
    const queued: { runId: number; subject: string }[] = [];
    const kudosReport: ScheduledJob<string> = {
      job: 'kudos-report',
      noun: 'kudos report',
      subjects: () => [
        { id: 'billing', schedule: '0 16 * * 5', timezone: 'Europe/Berlin', subject: 'billing' },
      ],
      catchUp: () => ({ amount: 60, unit: 'min' }),
      plan: (_subject, due, previous) => ({ period: { start: previous ?? due - WEEK, end: due } }),
      queue: (runId, subject) => queued.push({ runId, subject }),
    };
    const deps = { db: store.db, logger: silentLogger };
    const friday16 = t('2026-11-27T15:00:00Z'); // Friday 16:00 in Berlin

    // First known ten minutes after Friday's run: that run was not missed.
    expect(runDueJobs(deps, kudosReport, friday16 + 10 * MIN)).toEqual({ queued: [], skipped: [] });
    // The next Friday, on time (the tick a few seconds late), once.
    expect(runDueJobs(deps, kudosReport, friday16 + WEEK + 5_000)).toEqual({
      queued: ['billing'],
      skipped: [],
    });
    expect(runDueJobs(deps, kudosReport, friday16 + WEEK + MIN)).toEqual({ queued: [], skipped: [] });
    // Down over the next one, back 30 minutes later: caught up. Back 90 minutes late the week after: skipped.
    expect(runDueJobs(deps, kudosReport, friday16 + 2 * WEEK + 30 * MIN).queued).toEqual(['billing']);
    expect(runDueJobs(deps, kudosReport, friday16 + 3 * WEEK + 90 * MIN).skipped).toEqual(['billing']);

    expect(
      listRuns(store.db, 'kudos-report').map((r) => [r.status, r.periodStart, r.periodEnd, r.reason]),
    ).toEqual([
      ['queued', friday16, friday16 + WEEK, undefined],
      ['queued', friday16 + WEEK, friday16 + 2 * WEEK, undefined],
      [
        'skipped',
        friday16 + 2 * WEEK,
        friday16 + 3 * WEEK,
        'missed by 90 min, outside the 60 min catch-up window',
      ],
    ]);
    expect(queued.map((q) => q.subject)).toEqual(['billing', 'billing']);
  });
});
