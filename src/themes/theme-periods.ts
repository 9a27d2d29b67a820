import type { Period } from '../metrics/numbers.js';
import { periodStart, weeksEndingAt } from '../time/local-time.js';

export const THEME_PERIODS = ['week', 'month', 'quarter'] as const;
export type ThemePeriod = (typeof THEME_PERIODS)[number];

/** How many weeks a theme's weekly counts cover. */
export const THEME_TREND_WEEKS = 8;

export type ThemeWindow = {
  /** The calendar week, month or quarter so far, in the zone. */
  period: Period;
  /** The same span of the period before: this month's first 23 days against last month's first 23. */
  previous: Period;
  /** Eight weeks (from Monday), the last one this week so far. */
  weeks: Period[];
};

export function themeWindow(kind: ThemePeriod, now: number, zone: string): ThemeWindow {
  const start = periodStart(kind, now, zone);
  const previousStart = periodStart(kind, start - 1, zone);
  const thisWeek = periodStart('week', now, zone);
  return {
    period: { start, end: now },
    previous: { start: previousStart, end: Math.min(start, previousStart + (now - start)) },
    weeks: [...weeksEndingAt(thisWeek, zone, THEME_TREND_WEEKS - 1), { start: thisWeek, end: now }],
  };
}
