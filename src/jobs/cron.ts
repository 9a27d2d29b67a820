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
