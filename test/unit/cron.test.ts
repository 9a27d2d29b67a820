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

  it('gives strict previous and next occurrences', () => {
    expect(iso(occurrenceBefore('0 9 * * 1', 'Europe/Berlin', t('2026-11-23T08:00:00Z')))).toBe(
      '2026-11-16T08:00:00.000Z',
    );
    expect(iso(occurrenceAfter('0 9 * * 1', 'Europe/Berlin', t('2026-11-23T08:00:00Z')))).toBe(
      '2026-11-30T08:00:00.000Z',
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
