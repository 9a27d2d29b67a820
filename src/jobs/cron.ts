import { CronExpressionParser } from 'cron-parser';

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

/** The latest scheduled instant at or before `at` (epoch ms), or undefined if there is none. */
export function occurrenceAtOrBefore(expression: string, timezone: string, at: number): number | undefined {
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

const WEEKDAY_NUMBER: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/**
 * `count` consecutive weeks ending at `end`, oldest first, each starting at the same local weekday and time as
 * `end` in `timezone` (so a week that spans a daylight-saving change has 167 or 169 hours, as people expect).
 */
export function weeksEndingAt(
  end: number,
  timezone: string,
  count: number,
): { start: number; end: number }[] {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
    })
      .formatToParts(end)
      .map((p) => [p.type, p.value]),
  );
  const expression = `${Number(parts.minute)} ${Number(parts.hour)} * * ${WEEKDAY_NUMBER[parts.weekday ?? 'Mon'] ?? 1}`;
  const weeks: { start: number; end: number }[] = [];
  let weekEnd = end;
  for (let i = 0; i < count; i += 1) {
    const start = occurrenceBefore(expression, timezone, weekEnd) ?? weekEnd - 7 * 24 * 3_600_000;
    weeks.unshift({ start, end: weekEnd });
    weekEnd = start;
  }
  return weeks;
}
