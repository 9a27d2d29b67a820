import { CronExpressionParser } from 'cron-parser';
import { instantOfWallClock, latestWallClock } from '../time/local-time.js';

/**
 * Cron schedules as pure functions of an instant and a time zone, so a scheduled run can be found, caught up or
 * skipped deterministically with an injected clock. cron-parser reads the fields on a zone-less wall clock;
 * which instant a reading is (across daylight-saving changes too) is the time module's one answer: a time that
 * happens twice runs the first time, a time the clocks skip runs that much later.
 */

/** Why an expression is not a valid 5-field cron schedule, or undefined when it is (the zone is checked apart). */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `must have 5 fields (minute hour day-of-month month day-of-week), like "0 9 * * 1" for Mondays at 09:00; got ${fields.length}`;
  }
  try {
    CronExpressionParser.parse(expression, { tz: 'UTC' }).next();
    return undefined;
  } catch (error) {
    return `is not a valid cron schedule (${error instanceof Error ? error.message : String(error)}); example: "0 9 * * 1" for Mondays at 09:00`;
  }
}

/** The matching wall-clock reading strictly before (or after) `reading` (both as UTC epoch ms), or undefined. */
function readingNext(expression: string, reading: number, direction: 'prev' | 'next'): number | undefined {
  try {
    const it = CronExpressionParser.parse(expression, { tz: 'UTC', currentDate: new Date(reading) });
    return (direction === 'prev' ? it.prev() : it.next()).getTime();
  } catch {
    return undefined;
  }
}

/** Enough steps back to pass the readings of a clock change even for a schedule that runs every minute. */
const MAX_STEPS = 4 * 60;

/**
 * The minute tick asks every schedule every minute, and cron-parser with the zone lookups takes about a
 * millisecond a question: an answer holds from its instant until the next scheduled instant, so it is kept
 * until then (a memo of a pure function, bounded).
 */
const answers = new Map<string, { from: number; until: number }>();

/** The latest scheduled instant at or before `at` (epoch ms), or undefined if there is none. */
export function occurrenceAtOrBefore(expression: string, timezone: string, at: number): number | undefined {
  const key = `${expression}|${timezone}`;
  const known = answers.get(key);
  if (known && at >= known.from && at < known.until) return known.from;
  const found = findAtOrBefore(expression, timezone, at);
  if (found) {
    if (answers.size >= 1024) answers.delete(answers.keys().next().value as string);
    answers.set(key, found);
  }
  return found?.from;
}

/**
 * From a reading no earlier than any the clocks have shown by `at`, step back to the first whose instant has
 * come; `until` is the earliest instant still to come (a reading stepped over, or the next one).
 */
function findAtOrBefore(expression: string, timezone: string, at: number) {
  const latest = latestWallClock(at, timezone);
  const next = readingNext(expression, latest, 'next');
  let until = next === undefined ? Number.POSITIVE_INFINITY : instantOfWallClock(next, timezone);
  let reading = latest + 1;
  for (let step = 0; step < MAX_STEPS; step += 1) {
    const candidate = readingNext(expression, reading, 'prev');
    if (candidate === undefined) return undefined;
    const instant = instantOfWallClock(candidate, timezone);
    if (instant <= at) return { from: instant, until };
    until = Math.min(until, instant);
    reading = candidate;
  }
  return undefined;
}

/** The scheduled instant strictly before `at`. */
export function occurrenceBefore(expression: string, timezone: string, at: number): number | undefined {
  return occurrenceAtOrBefore(expression, timezone, at - 1);
}

/** The first scheduled instant strictly after `at` (what the sandbox's "run the next reminders" moves to). */
export function occurrenceAfter(expression: string, timezone: string, at: number): number | undefined {
  // Readings map to instants in order (a repeated hour's readings to their first instant), so start a little
  // before any reading that could be after `at` and take the first whose instant is.
  let reading = latestWallClock(at, timezone) - 3 * 3_600_000;
  for (let step = 0; step < 2 * MAX_STEPS; step += 1) {
    const candidate = readingNext(expression, reading, 'next');
    if (candidate === undefined) return undefined;
    const instant = instantOfWallClock(candidate, timezone);
    if (instant > at) return instant;
    reading = candidate;
  }
  return undefined;
}
