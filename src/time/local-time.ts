import { DateTime, IANAZone } from 'luxon';

/**
 * The one way to read time in a zone: wall-clock readings, the instant a reading happens, day, week, month and
 * quarter starts, business hours and the dates people read, all through Luxon over the IANA time zone database.
 *
 * A wall-clock time that happens twice (the repeated hour when clocks go back) is the first of the two; a time the
 * clocks skip (when they go forward) is read as that much later, so 02:30 on the spring-forward day in Berlin is
 * 03:30. That is Temporal's "compatible" choice and RFC 5545's, and what cron-parser does when it searches forward.
 * Pure: no clock, no Slack; instants are epoch milliseconds.
 */

export type LocalDate = { year: number; month: number; day: number };
type LocalTime = LocalDate & { hour: number; minute: number; second: number };
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** Opening hours: minutes after local midnight (1440 is the end of the day), on the listed days. */
export type OpeningHours = { days: readonly Weekday[]; start: number; end: number };
/** Calendar periods that start at a local midnight; weeks start on Monday. */
type CalendarPeriod = 'day' | 'week' | 'month' | 'quarter';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export function isTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

function zoned(at: number, zone: string): DateTime {
  return DateTime.fromMillis(at, { zone });
}

/** The earlier instant when a wall-clock reading happens twice (Luxon alone takes the later one). */
function earliest(d: DateTime): number {
  return Math.min(...d.getPossibleOffsets().map((o) => o.toMillis()));
}

/** The date and time the clocks in `zone` show at the instant `at`. */
export function localTime(at: number, zone: string): LocalTime {
  const { year, month, day, hour, minute, second } = zoned(at, zone);
  return { year, month, day, hour, minute, second };
}

/** The instant when the clocks in `zone` show this date and time (`minutes` after midnight, up to 1440). */
export function instantOf(date: LocalDate, minutes: number, zone: string): number {
  const day = minutes >= 24 * 60 ? addDays(date, 1) : date;
  const rest = minutes >= 24 * 60 ? minutes - 24 * 60 : minutes;
  return earliest(DateTime.fromObject({ ...day, hour: Math.floor(rest / 60), minute: rest % 60 }, { zone }));
}

/** The calendar date `days` after `date` (no zone: a date is a date). */
function addDays(date: LocalDate, days: number): LocalDate {
  const { year, month, day } = DateTime.fromObject(date, { zone: 'utc' }).plus({ days });
  return { year, month, day };
}

/** When the day, week (from Monday), month or quarter containing `at` began in `zone`. */
export function periodStart(period: CalendarPeriod, at: number, zone: string): number {
  return earliest(zoned(at, zone).startOf(period));
}

/** The last day worked out per zone: a burst of kudos asks for the same day thousands of times. */
const lastDays = new Map<string, { start: number; end: number }>();

/** The local day containing `at`: midnight to the next midnight (23 or 25 hours across a clock change). */
export function dayWindow(at: number, zone: string): { start: number; end: number } {
  const known = lastDays.get(zone);
  if (known && at >= known.start && at < known.end) return { ...known };
  // The date alone: with the time's seconds, the day began at 00:00:ss (the seconds of `at`).
  const { year, month, day: date } = localTime(at, zone);
  const today = { year, month, day: date };
  const day = { start: instantOf(today, 0, zone), end: instantOf(addDays(today, 1), 0, zone) };
  if (lastDays.size >= 256) lastDays.delete(lastDays.keys().next().value as string);
  lastDays.set(zone, day);
  return { ...day };
}

/**
 * `count` consecutive weeks ending at `end`, oldest first, each starting at the same local weekday and time as
 * `end` (so a week that spans a clock change has 167 or 169 hours, as people expect).
 */
export function weeksEndingAt(end: number, zone: string, count: number): { start: number; end: number }[] {
  const key = `${end}|${zone}|${count}`;
  let weeks = weeksMemo.get(key);
  if (!weeks) {
    const local = zoned(end, zone);
    const bounds = [end];
    for (let i = 1; i <= count; i += 1) bounds.unshift(earliest(local.minus({ weeks: i })));
    weeks = bounds.slice(0, -1).map((start, i) => ({ start, end: bounds[i + 1] as number }));
    if (weeksMemo.size >= 256) weeksMemo.delete(weeksMemo.keys().next().value as string);
    weeksMemo.set(key, weeks);
  }
  return weeks.map((w) => ({ ...w }));
}

/** Zone lookups take tens of microseconds: 200 managers on one schedule share the weeks (a bounded memo). */
const weeksMemo = new Map<string, { start: number; end: number }[]>();

/**
 * `start` plus `durationMs` counted only inside opening hours on opening days, in the zone's local time; a
 * duration with no opening hours is plain elapsed time.
 */
export function addOpenTime(
  start: number,
  durationMs: number,
  zone: string,
  hours: OpeningHours | undefined,
): number {
  if (!hours) return start + durationMs;
  const openDays = new Set(hours.days);
  let remaining = durationMs;
  let t = start;
  let date: LocalDate = localTime(start, zone);
  // Two years of calendar days is more than any SLA needs; it also bounds opening hours that are never open.
  for (let i = 0; i < 800; i += 1) {
    if (openDays.has(weekdayOf(date))) {
      const open = instantOf(date, hours.start, zone);
      const close = instantOf(date, hours.end, zone);
      t = Math.max(t, open);
      if (t < close) {
        if (remaining <= close - t) return t + remaining;
        remaining -= close - t;
        t = close;
      }
    }
    date = addDays(date, 1);
    t = Math.max(t, instantOf(date, 0, zone));
  }
  throw new Error('SLA deadline is more than two years away; check the business hours');
}

function weekdayOf(date: LocalDate): Weekday {
  return WEEKDAYS[DateTime.fromObject(date, { zone: 'utc' }).weekday - 1] as Weekday;
}

/** "16 Nov" in the zone. */
export function formatDayMonth(at: number, zone: string): string {
  return zoned(at, zone).setLocale('en-GB').toLocaleString({ day: 'numeric', month: 'short' });
}

/** "Tue 24 Nov, 00:00" in the zone. */
export function formatWeekdayTime(at: number, zone: string): string {
  return zoned(at, zone).setLocale('en-GB').toLocaleString({
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Wall-clock readings as numbers (the epoch ms of the same reading in UTC), for rules written in local time
// (cron fields) evaluated without a zone

/**
 * A reading at least as late as any the clocks in `zone` have shown by `at`: just after the clocks go back they
 * read earlier than they did before, and a run at the first of the repeated times has already happened.
 */
export function latestWallClock(at: number, zone: string): number {
  const z = IANAZone.create(zone);
  return at + Math.max(z.offset(at), z.offset(at - 3 * HOUR)) * MINUTE;
}

/** The instant of a reading (the first of two in a repeated hour, or later by the gap for a skipped time). */
export function instantOfWallClock(reading: number, zone: string): number {
  const r = DateTime.fromMillis(reading, { zone: 'utc' });
  const { year, month, day, hour, minute, second, millisecond } = r;
  return earliest(DateTime.fromObject({ year, month, day, hour, minute, second, millisecond }, { zone }));
}
