import { giveWay } from '../jobs/give-way.js';
import type { Db } from '../store/db.js';
import { refreshSomeThemeTotals } from './theme-totals.js';

/** A slice of the upkeep aims at this long: buckets differ in size (a busy department's day holds many items). */
const SLICE_MS = 10;
/**
 * The first slice's size, before the cost of a bucket is known: one, since one bucket may hold a busy
 * department's whole day (five of them after a burst of 20,000 filings held the loop ~60 ms).
 */
const FIRST_SLICE = 1;

/**
 * The minute tick's upkeep of the themes' running totals: up to `total` marked buckets counted again, in slices
 * of about SLICE_MS (each slice sized from the last one's cost per bucket, at most `slice` buckets), giving the
 * event loop back between slices and waiting for Slack requests being answered (`giveWay`). After a regroup moves
 * thousands of items, 500 buckets counted in one go held the loop 120-140 ms at a year of data, and 50 at a time
 * still up to ~150 ms when a regroup had marked busy days (issue 14: no tick may pause the app over 50 ms).
 */
export async function refreshThemeTotalsInSlices(
  db: Db,
  options: { total: number; slice: number; requestsInFlight?: () => number },
): Promise<number> {
  let counted = 0;
  let size = Math.min(FIRST_SLICE, options.slice);
  while (counted < options.total) {
    const started = performance.now();
    const n = refreshSomeThemeTotals(db, Math.min(size, options.total - counted));
    const took = performance.now() - started;
    counted += n;
    if (n === 0 || counted >= options.total) break;
    size = Math.max(1, Math.min(options.slice, Math.floor((n * SLICE_MS) / Math.max(took, 0.1))));
    await giveWay(options.requestsInFlight);
  }
  return counted;
}
