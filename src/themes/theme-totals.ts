import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';
import { impactParts, impactWeight, itemImpact, openFactor, openItemsImpact } from './impact.js';
import { noteRecounted, type ThemedItemsReader } from './kept-themed-items.js';
import { bucketItems, type ThemeScope, themedItems } from './theme-items.js';
import { DAY_MS, planPieces } from './theme-pieces.js';
import { themedDayItems } from './themed-days.js';

/**
 * Themes' counts and impact over any period, from running totals per (department, UTC day, theme) and per
 * (department, epoch week, theme) kept by migration 0021's triggers (a changed item marks its day; a marked day
 * is counted again from its items before it is read). theme-pieces.ts plans how a period is read; nothing here
 * scans the history: a quarter for the whole company is a few thousand total rows and a few hours of items.
 */
export type ThemeSums = Map<number, { count: number; impact: number }>;
type Range = { start: number; end: number };
type Sums = { items: number; fixed: number; weight: number; weightDays: number };

type Bucket = { day: number; departmentId: string; themeId: number };

/** A bucket's sums counted from its items. */
function countBucket(db: Db, b: Bucket): Sums {
  const sums = { items: 0, fixed: 0, weight: 0, weightDays: 0 };
  for (const item of bucketItems(db, b, b.day * DAY_MS, (b.day + 1) * DAY_MS)) {
    const parts = impactParts(item);
    sums.items += 1;
    sums.fixed += parts.fixed;
    sums.weight += parts.openWeight;
    sums.weightDays += (parts.openWeight * item.createdAt) / DAY_MS;
  }
  return sums;
}

const EMPTY: Sums = { items: 0, fixed: 0, weight: 0, weightDays: 0 };

/** Write a bucket's day row and move its epoch week's row by the difference. */
function storeBucket(db: Db, b: Bucket, now: Sums): void {
  const key = [b.departmentId, b.day, b.themeId] as const;
  const was =
    (stmt(
      db,
      `SELECT items, fixed_impact AS fixed, open_weight AS weight, open_weight_days AS weightDays
       FROM theme_day_totals WHERE department_id = ? AND day = ? AND theme_id = ?`,
    ).get(...key) as Sums | undefined) ?? EMPTY;
  if (now.items === 0) {
    stmt(db, 'DELETE FROM theme_day_totals WHERE department_id = ? AND day = ? AND theme_id = ?').run(...key);
  } else {
    stmt(
      db,
      `INSERT OR REPLACE INTO theme_day_totals
         (department_id, day, theme_id, items, fixed_impact, open_weight, open_weight_days) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(...key, now.items, now.fixed, now.weight, now.weightDays);
  }
  const week = [b.departmentId, Math.floor(b.day / 7), b.themeId] as const;
  stmt(
    db,
    `INSERT INTO theme_week_totals
       (department_id, week, theme_id, items, fixed_impact, open_weight, open_weight_days) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (department_id, week, theme_id) DO UPDATE SET items = items + excluded.items,
       fixed_impact = fixed_impact + excluded.fixed_impact, open_weight = open_weight + excluded.open_weight,
       open_weight_days = open_weight_days + excluded.open_weight_days`,
  ).run(
    ...week,
    now.items - was.items,
    now.fixed - was.fixed,
    now.weight - was.weight,
    now.weightDays - was.weightDays,
  );
  stmt(
    db,
    'DELETE FROM theme_week_totals WHERE department_id = ? AND week = ? AND theme_id = ? AND items = 0',
  ).run(...week);
}

/** Count marked buckets again from their items (in one transaction); returns how many were counted. */
function recount(db: Db, buckets: readonly Bucket[]): number {
  if (buckets.length === 0) return 0;
  db.transaction(() => {
    for (const b of buckets) {
      storeBucket(db, b, countBucket(db, b));
      noteRecounted(db, b.day, b.departmentId);
      stmt(db, 'DELETE FROM theme_totals_dirty WHERE day = ? AND department_id = ? AND theme_id = ?').run(
        b.day,
        b.departmentId,
        b.themeId,
      );
    }
  })();
  return buckets.length;
}

type DirtyRow = { day: number; department_id: string; theme_id: number };
const toBucket = (r: DirtyRow): Bucket => ({
  day: r.day,
  departmentId: r.department_id,
  themeId: r.theme_id,
});

/**
 * Before a read: count again the marked buckets of these days in the scope (those changed since the last read),
 * at most `limit` of them (a caller that gives the event loop back between calls counts the rest next).
 */
export function refreshThemeTotals(db: Db, scope: ThemeScope, range: Range, limit = Infinity): number {
  const rows = stmt(
    db,
    'SELECT day, department_id, theme_id FROM theme_totals_dirty WHERE day >= ? AND day < ?',
  ).all(Math.floor(range.start / DAY_MS), Math.ceil(range.end / DAY_MS)) as DirtyRow[];
  const wanted = scope === 'company' ? undefined : new Set(scope.departments);
  const due = rows.filter((r) => !wanted || wanted.has(r.department_id));
  return recount(db, due.slice(0, limit).map(toBucket));
}

/** The minute tick's share: up to `limit` marked buckets, oldest days first (a fresh upgrade marks them all). */
export function refreshSomeThemeTotals(db: Db, limit: number): number {
  const rows = stmt(db, 'SELECT day, department_id, theme_id FROM theme_totals_dirty LIMIT ?').all(
    limit,
  ) as DirtyRow[];
  return recount(db, rows.map(toBucket));
}

type TotalsRow = { theme_id: number; n: number; fixed: number; weight: number; weight_days: number };

function totalsOf(
  db: Db,
  scope: ThemeScope,
  rows: 'days' | 'weeks',
  piece: { from: number; to: number },
): TotalsRow[] {
  const [table, column] = rows === 'days' ? ['theme_day_totals', 'day'] : ['theme_week_totals', 'week'];
  const sums = `theme_id, SUM(items) AS n, SUM(fixed_impact) AS fixed, SUM(open_weight) AS weight,
    SUM(open_weight_days) AS weight_days`;
  if (scope === 'company') {
    return stmt(
      db,
      `SELECT ${sums} FROM ${table} WHERE ${column} >= ? AND ${column} < ? GROUP BY theme_id`,
    ).all(piece.from, piece.to) as TotalsRow[];
  }
  if (scope.departments.length === 0) return [];
  return stmt(
    db,
    `SELECT ${sums} FROM ${table}
       WHERE department_id IN (${scope.departments.map(() => '?').join(', ')}) AND ${column} >= ? AND ${column} < ?
       GROUP BY theme_id`,
  ).all(...scope.departments, piece.from, piece.to) as TotalsRow[];
}

function add(sums: ThemeSums, themeId: number, count: number, impact: number): void {
  const known = sums.get(themeId);
  if (known) {
    known.count += count;
    known.impact += impact;
  } else sums.set(themeId, { count, impact });
}

/** How many items a span holds in the scope: an index count that only picks the cheaper way to read it. */
function itemsIn(db: Db, scope: ThemeScope): (span: Range) => number {
  if (scope === 'company') {
    const count = stmt(
      db,
      'SELECT COUNT(*) FROM feedback_items WHERE theme_id IS NOT NULL AND created_at >= ? AND created_at < ?',
    ).pluck();
    return (span) => count.get(span.start, span.end) as number;
  }
  const count = stmt(
    db,
    `SELECT COUNT(*) FROM feedback_items
       WHERE department_id IN (${scope.departments.map(() => '?').join(', ')}) AND created_at >= ? AND created_at < ?`,
  ).pluck();
  return (span) =>
    scope.departments.length === 0 ? 0 : (count.get(...scope.departments, span.start, span.end) as number);
}

/**
 * itemsIn for each of several departments from one grouped count per span (the same counts as asking each): a
 * digest counts its departments' theme sums one department at a time.
 */
export function itemsInByDepartment(
  db: Db,
  departmentIds: readonly string[],
): (id: string) => (span: Range) => number {
  const counted = new Map<string, Map<string, number>>();
  const countsOf = (span: Range) => {
    const key = `${span.start}|${span.end}`;
    let counts = counted.get(key);
    if (!counts) {
      const rows = stmt(
        db,
        `SELECT department_id, COUNT(*) FROM feedback_items
           WHERE department_id IN (${departmentIds.map(() => '?').join(', ')}) AND created_at >= ? AND created_at < ?
           GROUP BY department_id`,
      )
        .raw()
        .all(...departmentIds, span.start, span.end) as [string, number][];
      counts = new Map(rows);
      counted.set(key, counts);
    }
    return counts;
  };
  return (id) => (span) => (departmentIds.length === 0 ? 0 : (countsOf(span).get(id) ?? 0));
}

/**
 * Each theme's items filed in the period in the scope, and their impact at `now` (not rounded). `read`: how the
 * items of a period's edges are read (the preview keeps closed ones: kept-themed-items.ts); `count`: how many items
 * a span holds in the scope (itemsIn, or itemsInByDepartment's).
 */
export function themeSums(
  db: Db,
  scope: ThemeScope,
  range: Range,
  now: number,
  read: ThemedItemsReader = themedItems,
  count: (span: Range) => number = itemsIn(db, scope),
): ThemeSums {
  refreshThemeTotals(db, scope, range);
  const sums: ThemeSums = new Map();
  for (const piece of planPieces(range, now, count)) {
    if (piece.kind === 'items') {
      for (const item of read(db, scope, piece.start, piece.end))
        add(sums, item.themeId, piece.sign, piece.sign * itemImpact(item, now));
    } else if (piece.kind === 'open-items') {
      for (const item of read(db, scope, piece.start, piece.end, 'open'))
        add(sums, item.themeId, 0, impactWeight(item) * openFactor(now - item.createdAt));
    } else {
      for (const row of totalsOf(db, scope, piece.kind === 'weeks' ? 'weeks' : 'days', piece)) {
        const open =
          piece.kind === 'closed-days'
            ? 0
            : openItemsImpact({ weight: row.weight, weightDays: row.weight_days }, now, piece.phase);
        add(sums, row.theme_id, row.n, row.fixed + open);
      }
    }
  }
  for (const [id, s] of sums) if (s.count === 0) sums.delete(id);
  return sums;
}

/**
 * Some themes' item counts in each of `ranges` (weeks, oldest first, or any spans), in the scope, per department:
 * the days a range covers whole from the day rows (one query for all), the days it covers partly from their items
 * (themed-days.ts keeps them).
 */
export function weeklyCountsByDepartment(
  db: Db,
  scope: ThemeScope,
  themeIds: readonly number[],
  ranges: readonly Range[],
): Map<string, Map<number, number[]>> {
  const result = new Map<string, Map<number, number[]>>();
  if (ranges.length === 0 || themeIds.length === 0) return result;
  const start = Math.min(...ranges.map((r) => r.start));
  const end = Math.max(...ranges.map((r) => r.end));
  refreshThemeTotals(db, scope, { start, end });
  const wanted = scope === 'company' ? undefined : new Set(scope.departments);
  const inScope = (d: string) => !wanted || wanted.has(d);
  const countsOf = (departmentId: string, themeId: number) => {
    let department = result.get(departmentId);
    if (!department) {
      department = new Map(themeIds.map((id) => [id, ranges.map(() => 0)]));
      result.set(departmentId, department);
    }
    return department.get(themeId);
  };
  // The day rows of the days each range covers whole, added up per range by SQLite (a quarter of 20 departments
  // is tens of thousands of day rows); a department scope reads only its own rows (the primary key).
  const whole = ranges.map((r) => [Math.ceil(r.start / DAY_MS), Math.floor(r.end / DAY_MS)] as const);
  const departments = wanted ? [...wanted] : [];
  const rows = stmt(
    db,
    `SELECT theme_id, department_id,
         ${whole.map(() => 'SUM(CASE WHEN day >= ? AND day < ? THEN items ELSE 0 END)').join(', ')}
       FROM theme_day_totals
       WHERE theme_id IN (${themeIds.map(() => '?').join(', ')}) AND day >= ? AND day < ?
         ${wanted ? `AND department_id IN (${departments.map(() => '?').join(', ')})` : ''}
       GROUP BY theme_id, department_id`,
  )
    .raw()
    .all(
      ...whole.flat(),
      ...themeIds,
      Math.floor(start / DAY_MS),
      Math.ceil(end / DAY_MS),
      ...departments,
    ) as [number, string, ...number[]][];
  for (const [themeId, departmentId, ...sums] of rows) {
    if (!inScope(departmentId)) continue;
    const counts = countsOf(departmentId, themeId);
    if (!counts) continue;
    sums.forEach((n, w) => {
      counts[w] = (counts[w] ?? 0) + n;
    });
  }
  for (const { day, partly } of partlyCoveredDays(ranges)) {
    // Only the ranges that cover part of the day count its items one by one.
    const items = themedDayItems(db, day);
    const departmentsInScope = items.departments.map(inScope);
    for (let i = 0; i < items.themeId.length; i += 1) {
      const d = items.department[i] as number;
      if (!departmentsInScope[d]) continue;
      const counts = countsOf(items.departments[d] as string, items.themeId[i] as number);
      if (!counts) continue;
      const createdAt = items.createdAt[i] as number;
      for (const { r, w } of partly) {
        if (createdAt >= r.start && createdAt < r.end) counts[w] = (counts[w] ?? 0) + 1;
      }
    }
  }
  return result;
}

/**
 * The days some of `ranges` cover only in part (UTC days: a week from a local midnight starts and ends in one),
 * whose items weeklyCountsByDepartment reads one by one (themed-days.ts keeps them).
 */
export function partlyCoveredDays(
  ranges: readonly Range[],
): { day: number; partly: { r: Range; w: number }[] }[] {
  const covers = (r: Range, day: number) => r.start <= day * DAY_MS && (day + 1) * DAY_MS <= r.end;
  const ends = new Set(
    ranges.flatMap((r) =>
      r.start < r.end ? [Math.floor(r.start / DAY_MS), Math.floor((r.end - 1) / DAY_MS)] : [],
    ),
  );
  return [...ends].flatMap((day) => {
    const partly = ranges.flatMap((r, w) =>
      !covers(r, day) && r.start < (day + 1) * DAY_MS && day * DAY_MS < r.end ? [{ r, w }] : [],
    );
    return partly.length === 0 ? [] : [{ day, partly }];
  });
}

/** Some departments' counts per theme added up (each range's count the sum of theirs). */
export function addWeeklyCounts(
  parts: Iterable<Map<number, number[]>>,
  themeIds: readonly number[],
  ranges: number,
): Map<number, number[]> {
  const result = new Map(themeIds.map((id) => [id, Array.from({ length: ranges }, () => 0)]));
  for (const part of parts) {
    for (const [id, total] of result) {
      const counts = part.get(id);
      counts?.forEach((n, w) => {
        total[w] = (total[w] ?? 0) + n;
      });
    }
  }
  return result;
}

/** Some themes' item counts in each of `ranges`, in the scope (its departments' counts added up). */
export function weeklyCounts(
  db: Db,
  scope: ThemeScope,
  themeIds: readonly number[],
  ranges: readonly Range[],
): Map<number, number[]> {
  return addWeeklyCounts(
    weeklyCountsByDepartment(db, scope, themeIds, ranges).values(),
    themeIds,
    ranges.length,
  );
}
