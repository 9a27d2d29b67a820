import { giveWay } from './give-way.js';

/** A slice of background work runs steps back to back for about this long, then gives the event loop back. */
export const SLICE_MS = 10;

/** Runs a list of synchronous steps in slices; resolves when every step has run, in order. */
export type Slicer = (steps: readonly (() => void)[]) => Promise<void>;

/**
 * A slicer: steps run one after another while the next one would likely end within `sliceMs` (it is expected to
 * take as long as the last one; at least one step a slice), and before each slice the event loop gets a turn and
 * Slack requests being answered are waited for (`giveWay`). Each step should be a few queries (one department's
 * share of a count): a step is never cut, so a slice holds the app about `sliceMs`, or one step's time when that
 * is longer. `sliceMs: 0` runs one step a slice (tests: reproducible slices).
 */
export function createSlicer(options: { requestsInFlight?: () => number; sliceMs?: number } = {}): Slicer {
  const sliceMs = options.sliceMs ?? SLICE_MS;
  return async (steps) => {
    let next = 0;
    while (next < steps.length) {
      await giveWay(options.requestsInFlight);
      const started = performance.now();
      let at = started;
      let last = 0;
      // The next step is taken when it would likely end within the slice (as long as the last one took).
      do {
        (steps[next++] as () => void)();
        const now = performance.now();
        last = now - at;
        at = now;
      } while (next < steps.length && at - started + last < sliceMs);
    }
  };
}

/** One count of a few milliseconds (a read of a period's kudos for every department), as a slice of its own. */
export async function inOneSlice<T>(slices: Slicer, count: () => T): Promise<T> {
  let value: T | undefined;
  await slices([() => (value = count())]);
  return value as T;
}
