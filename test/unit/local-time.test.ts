import { describe, expect, it } from 'vitest';
import {
  addOpenTime,
  dayWindow,
  formatDayMonth,
  formatWeekdayTime,
  instantOf,
  isTimeZone,
  localTime,
  type OpeningHours,
  periodStart,
  weeksEndingAt,
} from '../../src/time/local-time.js';

const t = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const H = 3_600_000;
const M = 60_000;

// The clock changes of 2026: Berlin skips 02:00-03:00 on 29 March and repeats 02:00-03:00 on 25 October;
// New York skips 02:00-03:00 on 8 March and repeats 01:00-02:00 on 1 November. All four days are Sundays.

describe('reading and making wall-clock times', () => {
  it('takes the first of two instants in the repeated hour', () => {
    expect(iso(instantOf({ year: 2026, month: 10, day: 25 }, 2 * 60 + 30, 'Europe/Berlin'))).toBe(
      '2026-10-25T00:30:00.000Z', // 02:30 CEST, not 02:30 CET an hour later
    );
    expect(iso(instantOf({ year: 2026, month: 11, day: 1 }, 90, 'America/New_York'))).toBe(
      '2026-11-01T05:30:00.000Z', // 01:30 EDT, not 01:30 EST
    );
  });

  it('reads a time the clocks skip as that much later', () => {
    expect(iso(instantOf({ year: 2026, month: 3, day: 29 }, 2 * 60 + 30, 'Europe/Berlin'))).toBe(
      '2026-03-29T01:30:00.000Z', // 03:30 CEST
    );
    expect(iso(instantOf({ year: 2026, month: 3, day: 8 }, 2 * 60 + 30, 'America/New_York'))).toBe(
      '2026-03-08T07:30:00.000Z', // 03:30 EDT
    );
  });

  it('reads the end of the day as the next midnight, and both readings of the repeated hour', () => {
    expect(iso(instantOf({ year: 2026, month: 11, day: 23 }, 24 * 60, 'Europe/Berlin'))).toBe(
      '2026-11-23T23:00:00.000Z',
    );
    expect(localTime(t('2026-11-01T05:30:00Z'), 'America/New_York')).toMatchObject({ hour: 1, minute: 30 });
    expect(localTime(t('2026-11-01T06:30:00Z'), 'America/New_York')).toMatchObject({ hour: 1, minute: 30 });
  });

  it('knows IANA zones and nothing else', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});

describe('days and weeks (kudos allowance days, leaderboards, digest weeks)', () => {
  it('has 23- and 25-hour days in New York too', () => {
    expect(dayWindow(t('2026-03-08T15:00:00Z'), 'America/New_York')).toEqual({
      start: t('2026-03-08T05:00:00Z'),
      end: t('2026-03-09T04:00:00Z'),
    });
    expect(dayWindow(t('2026-11-01T15:00:00Z'), 'America/New_York')).toEqual({
      start: t('2026-11-01T04:00:00Z'),
      end: t('2026-11-02T05:00:00Z'),
    });
    // In the repeated hour itself (01:30 EST), the day is still the same day.
    expect(dayWindow(t('2026-11-01T06:30:00Z'), 'America/New_York').start).toBe(t('2026-11-01T04:00:00Z'));
  });

  it('answers each instant with its own day, whichever day was asked for just before (kept per zone)', () => {
    const zone = 'Asia/Kolkata';
    const day = (iso: string) => {
      const w = dayWindow(t(iso), zone);
      return [new Date(w.start).toISOString(), new Date(w.end).toISOString()];
    };
    expect(day('2026-11-23T18:29:59Z')).toEqual(['2026-11-22T18:30:00.000Z', '2026-11-23T18:30:00.000Z']);
    expect(day('2026-11-23T18:30:00Z')).toEqual(['2026-11-23T18:30:00.000Z', '2026-11-24T18:30:00.000Z']);
    expect(day('2026-11-23T18:29:59Z')).toEqual(['2026-11-22T18:30:00.000Z', '2026-11-23T18:30:00.000Z']);
    expect(day('2026-01-01T00:00:00Z')).toEqual(['2025-12-31T18:30:00.000Z', '2026-01-01T18:30:00.000Z']);
    dayWindow(t('2026-11-23T12:00:00Z'), zone).start = 0; // a caller changing its copy changes nothing kept
    expect(day('2026-11-23T12:00:00Z')[0]).toBe('2026-11-22T18:30:00.000Z');
  });

  it('starts the week on the Monday before a clock change, in local midnight of that Monday', () => {
    // Sunday of the change: the week began on Monday 19 October, in summer time.
    expect(iso(periodStart('week', t('2026-10-25T12:00:00Z'), 'Europe/Berlin'))).toBe(
      '2026-10-18T22:00:00.000Z',
    );
    expect(iso(periodStart('week', t('2026-10-26T12:00:00Z'), 'Europe/Berlin'))).toBe(
      '2026-10-25T23:00:00.000Z',
    );
    expect(iso(periodStart('week', t('2026-11-01T06:30:00Z'), 'America/New_York'))).toBe(
      '2026-10-26T04:00:00.000Z',
    );
    expect(iso(periodStart('week', t('2026-03-08T12:00:00Z'), 'America/New_York'))).toBe(
      '2026-03-02T05:00:00.000Z',
    );
    expect(iso(periodStart('day', t('2026-03-29T12:00:00Z'), 'Europe/Berlin'))).toBe(
      '2026-03-28T23:00:00.000Z',
    );
  });

  it('gives the Sunday 01:30 New York digest weeks of 169 and 168 hours, each from the first 01:30', () => {
    const weeks = weeksEndingAt(t('2026-11-08T06:30:00Z'), 'America/New_York', 2);
    expect(weeks).toEqual([
      { start: t('2026-10-25T05:30:00Z'), end: t('2026-11-01T05:30:00Z') },
      { start: t('2026-11-01T05:30:00Z'), end: t('2026-11-08T06:30:00Z') },
    ]);
  });
});

describe('business hours across clock changes (SLA deadlines)', () => {
  const sundayNights: OpeningHours = { days: ['sun'], start: 60, end: 3 * 60 }; // 01:00-03:00
  const sundayEarly: OpeningHours = { days: ['sun'], start: 2 * 60, end: 4 * 60 }; // 02:00-04:00

  it('counts the repeated hour as the real time it is: 01:00-03:00 in New York is three hours that night', () => {
    const saturday = t('2026-10-31T16:00:00Z');
    expect(iso(addOpenTime(saturday, 150 * M, 'America/New_York', sundayNights))).toBe(
      '2026-11-01T07:30:00.000Z',
    );
    expect(iso(addOpenTime(saturday, 3 * H, 'America/New_York', sundayNights))).toBe(
      '2026-11-01T08:00:00.000Z',
    );
    // One minute more runs into the next Sunday, 01:01 EST.
    expect(iso(addOpenTime(saturday, 3 * H + M, 'America/New_York', sundayNights))).toBe(
      '2026-11-08T06:01:00.000Z',
    );
  });

  it('counts the repeated hour in Berlin: 02:00-04:00 is three hours on 25 October', () => {
    const saturday = t('2026-10-24T12:00:00Z');
    expect(iso(addOpenTime(saturday, 3 * H, 'Europe/Berlin', sundayEarly))).toBe('2026-10-25T03:00:00.000Z');
  });

  it('opens at the first instant after the gap: 02:00-04:00 is one hour on the spring-forward Sunday', () => {
    const saturday = t('2026-03-28T12:00:00Z');
    // Berlin: open from 03:00 CEST (01:00Z) to 04:00 CEST; the other 30 minutes are the next Sunday 02:00-02:30.
    expect(iso(addOpenTime(saturday, 30 * M, 'Europe/Berlin', sundayEarly))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(addOpenTime(saturday, 90 * M, 'Europe/Berlin', sundayEarly))).toBe('2026-04-05T00:30:00.000Z');
    // New York: open from 03:00 EDT (07:00Z) to 04:00 EDT.
    const nySaturday = t('2026-03-07T17:00:00Z');
    expect(iso(addOpenTime(nySaturday, 30 * M, 'America/New_York', sundayEarly))).toBe(
      '2026-03-08T07:30:00.000Z',
    );
    expect(iso(addOpenTime(nySaturday, 90 * M, 'America/New_York', sundayEarly))).toBe(
      '2026-03-15T06:30:00.000Z',
    );
  });
});

describe('dates people read', () => {
  it('formats in the zone', () => {
    expect(formatDayMonth(t('2026-11-15T23:30:00Z'), 'Europe/Berlin')).toBe('16 Nov');
    expect(formatWeekdayTime(t('2026-11-23T23:00:00Z'), 'Europe/Berlin')).toBe('Tue 24 Nov, 00:00');
    expect(formatWeekdayTime(t('2026-11-01T06:30:00Z'), 'America/New_York')).toBe('Sun 1 Nov, 01:30');
  });
});
