import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';
import { DAY_MS } from './theme-pieces.js';

/**
 * The themed items of whole UTC days, as the theme trends count the days their weeks cover in part (theme-totals.ts
 * weeklyCountsByDepartment): the preview, reminders, `/feedback themes` and spikes all read the same dozen days
 * around week boundaries, about 2,700 items a day at a year of data (3 ms a read, 25 ms a report). Like the
 * statement cache (store/statements.ts), they are kept per database, compactly, and a day is read again once its
 * counter in theme_day_changes moved: migration 0024's triggers move it in the same transaction as any filing,
 * deletion, or change of theme, department or filing time of a themed item of that day, so a kept day is always
 * what reading it gives (the app is the only writer, through one connection).
 */

/** One day's themed items, column by column: theme, filing time, and department (an index into `departments`). */
export type DayItems = {
  themeId: Int32Array;
  createdAt: Float64Array;
  department: Uint16Array;
  /** Department ids ('' for triage). */
  departments: string[];
};

/** Days kept per database: a trend's partly covered days for a few time zones, and more. */
const KEPT_DAYS = 48;

const kept = new WeakMap<Db, Map<number, { changes: number; items: DayItems }>>();

function read(db: Db, day: number): DayItems {
  const rows = stmt(
    db,
    `SELECT theme_id, created_at, COALESCE(department_id, '') FROM feedback_items
       WHERE theme_id IS NOT NULL AND created_at >= ? AND created_at < ?`,
  )
    .raw()
    .all(day * DAY_MS, (day + 1) * DAY_MS) as [number, number, string][];
  const departments: string[] = [];
  const indexOf = new Map<string, number>();
  const items: DayItems = {
    themeId: new Int32Array(rows.length),
    createdAt: new Float64Array(rows.length),
    department: new Uint16Array(rows.length),
    departments,
  };
  rows.forEach(([themeId, createdAt, department], i) => {
    let index = indexOf.get(department);
    if (index === undefined) {
      index = departments.push(department) - 1;
      indexOf.set(department, index);
    }
    items.themeId[i] = themeId;
    items.createdAt[i] = createdAt;
    items.department[i] = index;
  });
  return items;
}

/** The themed items filed on UTC day `day` (days since the epoch). */
export function themedDayItems(db: Db, day: number): DayItems {
  let days = kept.get(db);
  if (!days) {
    days = new Map();
    kept.set(db, days);
  }
  const changes = (stmt(db, 'SELECT changes FROM theme_day_changes WHERE day = ?').pluck().get(day) ??
    0) as number;
  const known = days.get(day);
  if (known && known.changes === changes) return known.items;
  days.delete(day);
  if (days.size >= KEPT_DAYS) days.delete(days.keys().next().value as number);
  const items = read(db, day);
  days.set(day, { changes, items });
  return items;
}
