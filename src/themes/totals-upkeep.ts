import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Db } from '../store/db.js';
import { refreshSomeThemeTotals } from './theme-totals.js';

/**
 * The minute tick's upkeep of the themes' running totals: up to `total` marked buckets counted again, `slice` at a
 * time, giving the event loop back between slices. After a regroup moves thousands of items, 500 buckets counted
 * in one go held the loop 120-140 ms at a year of data (issue 14: no tick may pause the app over 50 ms).
 */
export async function refreshThemeTotalsInSlices(
  db: Db,
  options: { total: number; slice: number },
): Promise<number> {
  let counted = 0;
  while (counted < options.total) {
    const n = refreshSomeThemeTotals(db, Math.min(options.slice, options.total - counted));
    counted += n;
    if (n === 0 || counted >= options.total) break;
    await yieldToEventLoop();
  }
  return counted;
}
