import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';
import { FULL_OPEN_MS, impactParts, itemImpact, openItemsImpact } from './impact.js';
import { bucketItems, type ThemeScope, themedItems } from './theme-items.js';

/**
 * Themes' counts and impact over any period, from running totals per (department, UTC day, theme) kept by
 * migration 0016's triggers (a changed item marks its bucket; a marked bucket is counted again from its items
 * before its days are read). A period is read as whole UTC days from the totals, plus the parts of its first and
 * last day (a week in Berlin starts at 23:00 UTC) read item by item. Open items grow in impact with time; a day's
 * open items are summed exactly while all of them are younger than FULL_OPEN_MS or all older, so the one day
 * that straddles that age is read item by item too. Nothing here scans the history: a quarter for the whole
 * company is a few thousand total rows and at most three days of items.
 */

export const DAY_MS = 86_400_000;

export type ThemeSums = Map<number, { count: number; impact: number }>;
type Range = { start: number; end: number };
type Phase = 'growing' | 'full';
type Piece = { kind: 'days' | 'weeks'; from: number; to: number; phase: Phase } | ({ kind: 'items' } & Range);
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

/** Before a read: count again the marked buckets of these days in the scope (those changed since the last read). */
export function refreshThemeTotals(db: Db, scope: ThemeScope, range: Range): number {
  const rows = stmt(
    db,
    'SELECT day, department_id, theme_id FROM theme_totals_dirty WHERE day >= ? AND day < ?',
  ).all(Math.floor(range.start / DAY_MS), Math.ceil(range.end / DAY_MS)) as DirtyRow[];
  const wanted = scope === 'company' ? undefined : new Set(scope.departments);
  return recount(db, rows.filter((r) => !wanted || wanted.has(r.department_id)).map(toBucket));
}

/** The minute tick's share: up to `limit` marked buckets, oldest days first (a fresh upgrade marks them all). */
export function refreshSomeThemeTotals(db: Db, limit: number): number {
  const rows = stmt(db, 'SELECT day, department_id, theme_id FROM theme_totals_dirty LIMIT ?').all(
    limit,
  ) as DirtyRow[];
  return recount(db, rows.map(toBucket));
}

/** How a period is read: whole UTC days from the totals (split where open items' impact stops growing), the rest by item. */
function piecesOf(range: Range, now: number | undefined): Piece[] {
  const firstDay = Math.ceil(range.start / DAY_MS);
  const endDay = Math.floor(range.end / DAY_MS);
  if (firstDay >= endDay) return range.start < range.end ? [{ kind: 'items', ...range }] : [];
  const pieces: Piece[] = [];
  if (range.start < firstDay * DAY_MS)
    pieces.push({ kind: 'items', start: range.start, end: firstDay * DAY_MS });
  if (endDay * DAY_MS < range.end) pieces.push({ kind: 'items', start: endDay * DAY_MS, end: range.end });
  const straddle = now === undefined ? firstDay - 1 : Math.floor((now - FULL_OPEN_MS) / DAY_MS);
  if (straddle >= endDay) {
    pieces.push({ kind: 'days', from: firstDay, to: endDay, phase: 'full' });
    return pieces;
  }
  if (straddle > firstDay) pieces.push({ kind: 'days', from: firstDay, to: straddle, phase: 'full' });
  if (straddle >= firstDay)
    pieces.push({ kind: 'items', start: straddle * DAY_MS, end: (straddle + 1) * DAY_MS });
  pieces.push({ kind: 'days', from: Math.max(firstDay, straddle + 1), to: endDay, phase: 'growing' });
  return pieces.filter((p) => p.kind === 'items' || p.from < p.to);
}

type TotalsRow = { theme_id: number; n: number; fixed: number; weight: number; weight_days: number };

/** Whole epoch weeks (week rows) inside a run of days, and the days before and after them (day rows). */
function byWeeks(p: { from: number; to: number; phase: Phase }): Piece[] {
  const firstWeek = Math.ceil(p.from / 7);
  const endWeek = Math.floor(p.to / 7);
  if (firstWeek >= endWeek) return [{ kind: 'days', ...p }];
  const pieces: Piece[] = [
    { kind: 'days', from: p.from, to: firstWeek * 7, phase: p.phase },
    { kind: 'weeks', from: firstWeek, to: endWeek, phase: p.phase },
    { kind: 'days', from: endWeek * 7, to: p.to, phase: p.phase },
  ];
  return pieces.filter((piece) => piece.kind === 'items' || piece.from < piece.to);
}

function totalsOf(
  db: Db,
  scope: ThemeScope,
  piece: { kind: 'days' | 'weeks'; from: number; to: number },
): TotalsRow[] {
  const [table, column] = piece.kind === 'days' ? ['theme_day_totals', 'day'] : ['theme_week_totals', 'week'];
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

/** Each theme's items filed in the period in the scope, and their impact at `now` (not rounded). */
export function themeSums(db: Db, scope: ThemeScope, range: Range, now: number): ThemeSums {
  refreshThemeTotals(db, scope, range);
  const sums: ThemeSums = new Map();
  for (const piece of piecesOf(range, now).flatMap((p) => (p.kind === 'days' ? byWeeks(p) : [p]))) {
    if (piece.kind === 'items') {
      for (const item of themedItems(db, scope, piece.start, piece.end))
        add(sums, item.themeId, 1, itemImpact(item, now));
      continue;
    }
    for (const row of totalsOf(db, scope, piece)) {
      const open = openItemsImpact({ weight: row.weight, weightDays: row.weight_days }, now, piece.phase);
      add(sums, row.theme_id, row.n, row.fixed + open);
    }
  }
  return sums;
}

/** Some themes' item counts in each of `weeks` (oldest first), in the scope. */
export function weeklyCounts(
  db: Db,
  scope: ThemeScope,
  themeIds: readonly number[],
  weeks: readonly Range[],
): Map<number, number[]> {
  const result = new Map(themeIds.map((id) => [id, weeks.map(() => 0)]));
  const first = weeks[0];
  const last = weeks[weeks.length - 1];
  if (!first || !last || themeIds.length === 0) return result;
  refreshThemeTotals(db, scope, { start: first.start, end: last.end });
  const inScope = scope === 'company' ? () => true : (d: string) => scope.departments.includes(d);
  const ids = themeIds.map(() => '?').join(', ');
  weeks.forEach((week, w) => {
    for (const piece of piecesOf(week, undefined)) {
      if (piece.kind === 'items') {
        for (const item of themedItemsOf(db, themeIds, piece, inScope)) {
          const counts = result.get(item);
          if (counts) counts[w] = (counts[w] ?? 0) + 1;
        }
        continue;
      }
      const rows = stmt(
        db,
        `SELECT theme_id, department_id, items FROM theme_day_totals
           WHERE theme_id IN (${ids}) AND day >= ? AND day < ?`,
      ).all(...themeIds, piece.from, piece.to) as {
        theme_id: number;
        department_id: string;
        items: number;
      }[];
      for (const row of rows) {
        const counts = result.get(row.theme_id);
        if (counts && inScope(row.department_id)) counts[w] = (counts[w] ?? 0) + row.items;
      }
    }
  });
  return result;
}

/** The theme id of each item of these themes filed in the range, in the scope. */
function themedItemsOf(
  db: Db,
  themeIds: readonly number[],
  range: Range,
  inScope: (d: string) => boolean,
): number[] {
  const rows = stmt(
    db,
    `SELECT theme_id, COALESCE(department_id, '') AS d FROM feedback_items
       WHERE theme_id IN (${themeIds.map(() => '?').join(', ')}) AND created_at >= ? AND created_at < ?`,
  ).all(...themeIds, range.start, range.end) as { theme_id: number; d: string }[];
  return rows.filter((r) => inScope(r.d)).map((r) => r.theme_id);
}
