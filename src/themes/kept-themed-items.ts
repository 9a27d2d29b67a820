import type { Db } from '../store/db.js';
import { type ThemedItem, type ThemeScope, themedItems } from './theme-items.js';
import { DAY_MS } from './theme-pieces.js';

/**
 * Themed items of closed spans kept between reads, for the `/loop digest` preview: its week so far starts inside
 * a UTC day, so each preview read the same few hours of each department's items one by one (about 900 items with
 * their customers and breaches for 20 departments at a year of data, 5 ms a preview). Items are kept as read
 * (impact is still computed from them at each read's `now`), per department scope and span, and read again once
 * a bucket of the span's days in those departments was counted again (theme-totals.ts recount): migration
 * 0021's triggers mark the bucket in the same transaction as every change impact reads (theme, department,
 * status, resolution, severity, the at-risk mark, the customer, a breach, a customer lost), and themeSums counts
 * the marked buckets of its days before it reads, so a kept span is always what reading it gives (the app is the
 * only writer, through one connection, as for themed-days.ts).
 */

/** themedItems' signature: what themeSums reads the edges of a period with. */
export type ThemedItemsReader = typeof themedItems;

/** How many times each (UTC day, department) bucket of a database was counted again, per database. */
const recounts = new WeakMap<Db, Map<string, number>>();

const bucketKey = (day: number, departmentId: string) => `${day}|${departmentId}`;

/** Called by theme-totals.ts each time it counts a bucket again (a change to its items was marked). */
export function noteRecounted(db: Db, day: number, departmentId: string): void {
  let counts = recounts.get(db);
  if (!counts) {
    counts = new Map();
    recounts.set(db, counts);
  }
  const key = bucketKey(day, departmentId);
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** Kept spans at most (each a few hours of a department's items): two edges for a few hundred departments. */
const KEPT_SPANS = 512;

/**
 * A reader that keeps the items of spans that ended before `closedBefore()` (for department scopes; the company
 * scope is read each time).
 */
export function createKeptThemedItems(closedBefore: () => number): ThemedItemsReader {
  const kept = new Map<string, { stamp: string; items: ThemedItem[] }>();
  const stampOf = (db: Db, departments: readonly string[], start: number, end: number) => {
    const counts = recounts.get(db);
    const days: number[] = [];
    for (let day = Math.floor(start / DAY_MS); day * DAY_MS < end; day += 1) days.push(day);
    return departments.flatMap((d) => days.map((day) => counts?.get(bucketKey(day, d)) ?? 0)).join(',');
  };
  return (db: Db, scope: ThemeScope, start: number, end: number, which: 'all' | 'open' = 'all') => {
    if (scope === 'company' || end > closedBefore()) return themedItems(db, scope, start, end, which);
    const key = `${scope.departments.join(',')}|${start}|${end}|${which}`;
    const stamp = stampOf(db, scope.departments, start, end);
    const known = kept.get(key);
    if (known && known.stamp === stamp) return known.items;
    kept.delete(key);
    if (kept.size >= KEPT_SPANS) kept.delete(kept.keys().next().value as string);
    const items = themedItems(db, scope, start, end, which);
    kept.set(key, { stamp, items });
    return items;
  };
}
