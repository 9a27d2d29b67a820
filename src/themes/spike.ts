import { median } from '../metrics/median.js';

/**
 * The spike rule, in one place: a theme spikes in a week when its count that week is at least
 * SPIKE_FACTOR times the median of its eight weeks before (a median of 0 counts as 1, so a theme new this week
 * needs SPIKE_FACTOR items too) and at least SPIKE_MIN_ITEMS items.
 */

export const SPIKE_FACTOR = 3;
export const SPIKE_MIN_ITEMS = 5;
export const SPIKE_HISTORY_WEEKS = 8;

export type SpikeVerdict = { spike: boolean; count: number; baseline: number };

/**
 * `previousWeeks`: the theme's counts in the weeks before this one, oldest first (missing weeks count 0;
 * only the last eight are read).
 */
export function detectSpike(thisWeek: number, previousWeeks: readonly number[]): SpikeVerdict {
  const history = previousWeeks.slice(-SPIKE_HISTORY_WEEKS);
  while (history.length < SPIKE_HISTORY_WEEKS) history.unshift(0);
  const baseline = median(history) ?? 0;
  const spike = thisWeek >= SPIKE_MIN_ITEMS && thisWeek >= SPIKE_FACTOR * Math.max(1, baseline);
  return { spike, count: thisWeek, baseline };
}
