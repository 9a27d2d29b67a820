/**
 * Pacing of posts, as Slack documents for chat.postMessage: about one message a second per channel with short
 * bursts, under an overall cap for the whole app. Each limit is a GCRA (virtual-time token bucket): a
 * conversation may take a post when its theoretical arrival time is no more than the burst allowance ahead.
 */
export type PacingSettings = {
  /** Minimum average spacing of posts to one conversation; 0 turns per-conversation pacing off. */
  perKeyIntervalMs: number;
  /** Posts one conversation may take at once before the spacing applies. */
  perKeyBurst: number;
  /** Posts per second across all conversations; 0 means no overall cap. */
  maxPerSecond: number;
};

export type Pacer = {
  /** In how many ms a post to `key` may start (0: now). Undefined key: only the overall cap applies. */
  waitMs(key: string | undefined): number;
  take(key: string | undefined): void;
};

type Bucket = { tat: number };

const readyAtOf = (bucket: Bucket | undefined, now: number, toleranceMs: number) =>
  bucket === undefined ? now : Math.max(now, bucket.tat - toleranceMs);

const takeFrom = (bucket: Bucket, now: number, intervalMs: number) => {
  bucket.tat = Math.max(bucket.tat, now) + intervalMs;
};

/**
 * `monotonicNow` is real elapsed time (pacing is about how fast calls reach Slack, so it does not follow an
 * injected test clock that may stand still).
 */
export function createPacer(
  settings: () => PacingSettings,
  monotonicNow: () => number = () => performance.now(),
): Pacer {
  const keys = new Map<string, Bucket>();
  const overall: Bucket = { tat: Number.NEGATIVE_INFINITY };

  const limits = () => {
    const s = settings();
    const overallInterval = s.maxPerSecond > 0 ? 1000 / s.maxPerSecond : 0;
    return {
      keyInterval: s.perKeyIntervalMs,
      keyTolerance: (s.perKeyBurst - 1) * s.perKeyIntervalMs,
      overallInterval,
      overallTolerance: Math.max(0, s.maxPerSecond - 1) * overallInterval,
    };
  };

  return {
    waitMs(key) {
      const now = monotonicNow();
      const l = limits();
      const overallAt = l.overallInterval > 0 ? readyAtOf(overall, now, l.overallTolerance) : now;
      const keyAt =
        key !== undefined && l.keyInterval > 0 ? readyAtOf(keys.get(key), now, l.keyTolerance) : now;
      return Math.max(overallAt, keyAt) - now;
    },
    take(key) {
      const now = monotonicNow();
      const l = limits();
      if (l.overallInterval > 0) takeFrom(overall, now, l.overallInterval);
      if (key === undefined || l.keyInterval <= 0) return;
      // Forget conversations that are idle again, so the map holds only the ones being paced.
      if (keys.size > 1000) for (const [k, b] of keys) if (b.tat <= now) keys.delete(k);
      const bucket = keys.get(key) ?? { tat: Number.NEGATIVE_INFINITY };
      takeFrom(bucket, now, l.keyInterval);
      keys.set(key, bucket);
    },
  };
}
