import type { Slicer } from '../jobs/slicer.js';
import { kudosReceived, openAtEnd, type Period, received, resolved } from '../metrics/numbers.js';
import { figuresByDepartment, type OutcomeFigures } from '../metrics/outcome-report.js';
import type { Db } from '../store/db.js';
import { themeSumsByDepartment } from '../themes/department-theme-sums.js';
import { partlyCoveredDays, type ThemeSums, weeklyCountsByDepartment } from '../themes/theme-totals.js';
import { themedDayItems } from '../themes/themed-days.js';
import { type DepartmentWeek, weekPartSteps } from './department-week.js';
import { joinWeekParts } from './week-parts.js';

/**
 * The weekly digest run's shared numbers (every department's week, the week before, the trend weeks, the themes
 * and the outcomes), counted one department at a time in slices with the event loop free between them (issue
 * 14): counted in one go, they held the app for ~340 ms at 1M items when the run's first digest was composed.
 * Each function gives exactly what its one-go count in department-week.ts, numbers.ts, the themes and
 * outcome-report.ts gives (test/integration/digest-run-slices.test.ts compares them on a seeded year).
 */

/** departmentWeeks, sliced. */
export async function departmentWeeksInSlices(
  db: Db,
  ids: readonly string[],
  period: Period,
  detail: 'full' | 'headline',
  slices: Slicer,
): Promise<Map<string, DepartmentWeek>> {
  const { parts, steps } = weekPartSteps(db, ids, period, detail);
  const open = new Map<string, number>();
  for (const id of ids) steps.push(() => open.set(id, openAtEnd(db, [id], period).get(id) ?? 0));
  await slices(steps);
  return joinWeekParts(ids, [parts], open);
}

export type TrendWeek = Map<string, { received: number; resolved: number; kudos: number }>;

/** One week of departmentTrend, sliced: received and resolved per department, the kudos (one read) for all. */
export async function trendWeekInSlices(
  db: Db,
  ids: readonly string[],
  period: Period,
  slices: Slicer,
): Promise<TrendWeek> {
  const result: TrendWeek = new Map(ids.map((id) => [id, { received: 0, resolved: 0, kudos: 0 }]));
  const steps = ids.map((id) => () => {
    const week = result.get(id) as { received: number; resolved: number; kudos: number };
    week.received = received(db, [id], period).get(id) ?? 0;
    week.resolved = resolved(db, [id], period).get(id) ?? 0;
  });
  if (ids.length > 0) {
    steps.push(() => {
      for (const [id, n] of kudosReceived(db, ids, period)) (result.get(id) ?? { kudos: 0 }).kudos = n;
    });
  }
  await slices(steps);
  return result;
}

/** The themes that have items in any of the departments' sums, in id order. */
export function themeIdsOf(sums: Map<string, ThemeSums>): number[] {
  return [...new Set([...sums.values()].flatMap((s) => [...s.keys()]))].sort((a, b) => a - b);
}

/**
 * Each department's theme sums over the period (impact at its end), then each department's counts of every
 * theme with items in any of them over `ranges`: one department per step (after the items of the days the ranges
 * cover in part, which every department's count reads: one day per step).
 */
export async function themeRunInSlices(
  db: Db,
  ids: readonly string[],
  period: Period,
  ranges: readonly Period[],
  slices: Slicer,
): Promise<{ sums: Map<string, ThemeSums>; counts: Map<string, Map<number, number[]>> }> {
  const sums = new Map<string, ThemeSums>();
  await slices(
    ids.map(
      (id) => () => sums.set(id, themeSumsByDepartment(db, [id], period, period.end).get(id) ?? new Map()),
    ),
  );
  const themeIds = themeIdsOf(sums);
  const counts = new Map<string, Map<number, number[]>>();
  await slices([
    // Each partly covered day's items (every department's) read in a step of its own, and kept for the counts.
    ...partlyCoveredDays(ranges).map(
      ({ day }) =>
        () =>
          void themedDayItems(db, day),
    ),
    ...ids.map((id) => () => {
      for (const [d, each] of weeklyCountsByDepartment(db, { departments: [id] }, themeIds, ranges))
        counts.set(d, each);
    }),
  ]);
  return { sums, counts };
}

/** figuresByDepartment, one department per step. */
export async function outcomesInSlices(
  db: Db,
  ids: readonly string[],
  period: Period,
  slices: Slicer,
): Promise<Map<string, OutcomeFigures>> {
  const result = new Map<string, OutcomeFigures>();
  await slices(
    ids.map((id) => () => {
      const figures = figuresByDepartment(db, [id], period).get(id);
      if (figures) result.set(id, figures);
    }),
  );
  return result;
}
