import { CronExpressionParser } from 'cron-parser';
import { localTime } from '../text/local-time.js';

/**
 * Cron schedules as pure functions of an instant and a time zone, so a scheduled run can be found,
 * caught up or skipped deterministically with an injected clock (and across daylight-saving changes,
 * which cron-parser resolves in the zone).
 */

/** Why an expression is not a valid 5-field cron schedule, or undefined when it is. */
export function cronProblem(expression: string, timezone = 'UTC'): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `must have 5 fields (minute hour day-of-month month day-of-week), like "0 9 * * 1" for Mondays at 09:00; got ${fields.length}`;
  }
  try {
    CronExpressionParser.parse(expression, { tz: timezone }).next();
    return undefined;
  } catch (error) {
    return `is not a valid cron schedule (${error instanceof Error ? error.message : String(error)}); example: "0 9 * * 1" for Mondays at 09:00`;
  }
}

/**
 * The interval between two scheduled instants that each schedule was last asked about: the minute tick asks
 * every schedule every minute, and the answer only changes when the next instant is reached.
 */
const intervals = new Map<string, { from: number; until: number }>();

/** The latest scheduled instant at or before `at` (epoch ms), or undefined if there is none. */
export function occurrenceAtOrBefore(expression: string, timezone: string, at: number): number | undefined {
  const key = `${expression}|${timezone}`;
  const known = intervals.get(key);
  if (known && at >= known.from && at < known.until) return known.from;
  const from = findAtOrBefore(expression, timezone, at);
  const until = from === undefined ? undefined : occurrenceAfter(expression, timezone, from);
  if (from !== undefined && until !== undefined && at < until) {
    if (intervals.size >= 1024) intervals.delete(intervals.keys().next().value as string);
    intervals.set(key, { from, until });
  }
  return from;
}

function findAtOrBefore(expression: string, timezone: string, at: number): number | undefined {
  try {
    return CronExpressionParser.parse(expression, { tz: timezone, currentDate: new Date(at + 1) })
      .prev()
      .getTime();
  } catch {
    return undefined;
  }
}

/** The scheduled instant strictly before `at`. */
export function occurrenceBefore(expression: string, timezone: string, at: number): number | undefined {
  try {
    return CronExpressionParser.parse(expression, { tz: timezone, currentDate: new Date(at) })
      .prev()
      .getTime();
  } catch {
    return undefined;
  }
}

/** The next scheduled instant strictly after `at`. */
export function occurrenceAfter(expression: string, timezone: string, at: number): number | undefined {
  try {
    return CronExpressionParser.parse(expression, { tz: timezone, currentDate: new Date(at) })
      .next()
      .getTime();
  } catch {
    return undefined;
  }
}

/**
 * `count` consecutive weeks ending at `end`, oldest first, each starting at the same local weekday and time as
 * `end` in `timezone` (so a week that spans a daylight-saving change has 167 or 169 hours, as people expect).
 */
export function weeksEndingAt(
  end: number,
  timezone: string,
  count: number,
): { start: number; end: number }[] {
  const key = `${end}|${timezone}|${count}`;
  let weeks = weeksCache.get(key);
  if (!weeks) {
    weeks = computeWeeksEndingAt(end, timezone, count);
    if (weeksCache.size >= 256) weeksCache.delete(weeksCache.keys().next().value as string);
    weeksCache.set(key, weeks);
  }
  return weeks.map((w) => ({ ...w }));
}

/** cron-parser takes milliseconds per step: 200 managers on one schedule share the weeks it finds. */
const weeksCache = new Map<string, { start: number; end: number }[]>();

function computeWeeksEndingAt(
  end: number,
  timezone: string,
  count: number,
): { start: number; end: number }[] {
  const local = localTime(end, timezone);
  const weekday = new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay();
  const expression = `${local.minute} ${local.hour} * * ${weekday}`;
  const weeks: { start: number; end: number }[] = [];
  let weekEnd = end;
  for (let i = 0; i < count; i += 1) {
    const start = occurrenceBefore(expression, timezone, weekEnd) ?? weekEnd - 7 * 24 * 3_600_000;
    weeks.unshift({ start, end: weekEnd });
    weekEnd = start;
  }
  return weeks;
}
