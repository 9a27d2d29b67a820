import { setTimeout as delay } from 'node:timers/promises';

const POLL_INTERVAL_MS = 10;

/**
 * Polls `check` until it returns a value other than `undefined`, or rejects after `timeoutMs`
 * with the message `describe()` gives at that moment.
 */
export async function pollUntil<T>(
  check: () => T | undefined,
  timeoutMs: number,
  describe: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) throw new Error(describe());
    await delay(POLL_INTERVAL_MS);
  }
}
