import type { Period } from '../metrics/numbers.js';
import type { Db } from '../store/db.js';
import type { ThemedItemsReader } from './kept-themed-items.js';
import { itemsInByDepartment, type ThemeSums, themeSums } from './theme-totals.js';

/**
 * Themes' sums one department at a time, and several departments' sums added up: a run of digests counts each
 * department once per period and every manager adds up their own departments (issue 13's budget), instead of
 * counting each manager's set anew. An item belongs to one department, so adding the departments' sums gives what
 * themeSums gives for the set (impact as impact.ts defines it, summed in another order).
 */

/** Each department's theme sums over the period, impact at `now` (`read`: as themeSums reads its edges). */
export function themeSumsByDepartment(
  db: Db,
  departmentIds: readonly string[],
  period: Period,
  now: number,
  read?: ThemedItemsReader,
): Map<string, ThemeSums> {
  const itemsIn = itemsInByDepartment(db, departmentIds);
  return new Map(
    departmentIds.map((id) => [id, themeSums(db, { departments: [id] }, period, now, read, itemsIn(id))]),
  );
}

/** Some departments' sums together. */
export function addThemeSums(parts: Iterable<ThemeSums>): ThemeSums {
  const total: ThemeSums = new Map();
  for (const part of parts) {
    for (const [id, s] of part) {
      const known = total.get(id);
      if (known) {
        known.count += s.count;
        known.impact += s.impact;
      } else total.set(id, { count: s.count, impact: s.impact });
    }
  }
  return total;
}
