import { describe, expect, it } from 'vitest';
import { cronProblem, occurrenceAfter, occurrenceAtOrBefore, occurrenceBefore } from '../../src/jobs/cron.js';

const t = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('cron schedules', () => {
  it('accepts 5-field schedules and explains what is wrong with others', () => {
    expect(cronProblem('0 9 * * 1')).toBeUndefined();
    expect(cronProblem('*/15 8-17 * * mon-fri')).toBeUndefined();
    expect(cronProblem('0 9 * *')).toMatch(/must have 5 fields.*got 4/);
    expect(cronProblem('0 25 * * 1')).toMatch(/not a valid cron schedule/);
    expect(cronProblem('every monday')).toMatch(/must have 5 fields/);
    expect(cronProblem('0 9 * * 1 2026')).toMatch(/got 6/);
  });

  it('finds the occurrence at or before an instant, in the schedule time zone', () => {
    // Monday 2026-11-23 09:00 in Berlin is 08:00 UTC (CET, +1)
    expect(iso(occurrenceAtOrBefore('0 9 * * 1', 'Europe/Berlin', t('2026-11-23T08:00:00Z')))).toBe(
      '2026-11-23T08:00:00.000Z',
    );
    expect(iso(occurrenceAtOrBefore('0 9 * * 1', 'Europe/Berlin', t('2026-11-23T07:59:59Z')))).toBe(
      '2026-11-16T08:00:00.000Z',
    );
    expect(iso(occurrenceAtOrBefore('0 9 * * 1', 'America/New_York', t('2026-11-23T15:00:00Z')))).toBe(
      '2026-11-23T14:00:00.000Z',
    );
  });

  it('gives the strictly previous occurrence', () => {
    expect(iso(occurrenceBefore('0 9 * * 1', 'Europe/Berlin', t('2026-11-23T08:00:00Z')))).toBe(
      '2026-11-16T08:00:00.000Z',
    );
  });

  it('keeps local wall-clock time across daylight-saving changes', () => {
    // Europe/Berlin leaves summer time on Sunday 2026-10-25: 09:00 is 07:00 UTC before, 08:00 UTC after.
    expect(iso(occurrenceAtOrBefore('0 9 * * 1', 'Europe/Berlin', t('2026-10-19T12:00:00Z')))).toBe(
      '2026-10-19T07:00:00.000Z',
    );
    expect(iso(occurrenceAtOrBefore('0 9 * * 1', 'Europe/Berlin', t('2026-10-26T12:00:00Z')))).toBe(
      '2026-10-26T08:00:00.000Z',
    );
    // and America/New_York enters summer time on 2026-03-08
    expect(iso(occurrenceAtOrBefore('0 9 * * *', 'America/New_York', t('2026-03-07T20:00:00Z')))).toBe(
      '2026-03-07T14:00:00.000Z',
    );
    expect(iso(occurrenceAtOrBefore('0 9 * * *', 'America/New_York', t('2026-03-08T20:00:00Z')))).toBe(
      '2026-03-08T13:00:00.000Z',
    );
  });
});

describe('cron schedules across the clock changes', () => {
  /** Every distinct answer the minute tick gets over the night. */
  const answersOverNight = (schedule: string, zone: string, from: string, hours: number) => {
    const seen = new Set<string | undefined>();
    for (let at = t(from); at <= t(from) + hours * 3_600_000; at += 60_000) {
      seen.add(iso(occurrenceAtOrBefore(schedule, zone, at)));
    }
    return [...seen];
  };

  it('runs a Sunday 01:30 in New York once on the night the clocks go back, at the first 01:30', () => {
    expect(answersOverNight('30 1 * * 0', 'America/New_York', '2026-11-01T04:00:00Z', 4)).toEqual([
      '2026-10-25T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z',
    ]);
    // Asked for the first time during the second 01:30 (a process started then): the first one.
    expect(iso(occurrenceAtOrBefore('30 1 * * 0', 'America/New_York', t('2026-11-01T06:45:00Z')))).toBe(
      '2026-11-01T05:30:00.000Z',
    );
    expect(iso(occurrenceBefore('30 1 * * 0', 'America/New_York', t('2026-11-08T06:30:00Z')))).toBe(
      '2026-11-01T05:30:00.000Z',
    );
  });

  it('runs a Sunday 02:30 in Berlin once in the repeated hour, and at 03:30 when the clocks skip 02:30', () => {
    expect(answersOverNight('30 2 * * 0', 'Europe/Berlin', '2026-10-24T23:00:00Z', 4)).toEqual([
      '2026-10-18T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
    ]);
    expect(answersOverNight('30 2 * * 0', 'Europe/Berlin', '2026-03-28T23:00:00Z', 4)).toEqual([
      '2026-03-22T01:30:00.000Z',
      '2026-03-29T01:30:00.000Z',
    ]);
    expect(answersOverNight('30 2 * * 0', 'America/New_York', '2026-03-08T05:00:00Z', 4)).toEqual([
      '2026-03-01T07:30:00.000Z',
      '2026-03-08T07:30:00.000Z',
    ]);
  });

  it('keeps every-minute schedules whole through the repeated hour', () => {
    // At 01:10 EST the clocks already showed 01:59 EDT: the last run was 01:59 EDT, then 01:00 EST is not new.
    expect(iso(occurrenceAtOrBefore('* * * * *', 'America/New_York', t('2026-11-01T06:10:30Z')))).toBe(
      '2026-11-01T05:59:00.000Z',
    );
    expect(iso(occurrenceAtOrBefore('* * * * *', 'America/New_York', t('2026-11-01T07:00:30Z')))).toBe(
      '2026-11-01T07:00:00.000Z',
    );
  });

  it('finds the next occurrence after an instant, once across a repeated hour and later by a skipped one', () => {
    expect(iso(occurrenceAfter('0 9 * * 1', 'Europe/Berlin', t('2026-11-23T08:00:00Z')))).toBe(
      '2026-11-30T08:00:00.000Z',
    );
    expect(iso(occurrenceAfter('0 9 * * 1', 'Europe/Berlin', t('2026-11-23T07:59:59Z')))).toBe(
      '2026-11-23T08:00:00.000Z',
    );
    // New York, 1 Nov 2026: 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST); the schedule runs the first.
    expect(iso(occurrenceAfter('30 1 * * 0', 'America/New_York', t('2026-11-01T05:00:00Z')))).toBe(
      '2026-11-01T05:30:00.000Z',
    );
    expect(iso(occurrenceAfter('30 1 * * 0', 'America/New_York', t('2026-11-01T05:30:00Z')))).toBe(
      '2026-11-08T06:30:00.000Z',
    );
    // Berlin, 29 Mar 2026: 02:30 does not exist; it runs at 03:30 local (01:30Z).
    expect(iso(occurrenceAfter('30 2 * * 0', 'Europe/Berlin', t('2026-03-29T00:00:00Z')))).toBe(
      '2026-03-29T01:30:00.000Z',
    );
  });
});
