import type { Clock } from '../clock.js';

/**
 * The sandbox's clock: real time plus an offset that only grows, so "a day forward" makes SLA deadlines,
 * reminders and digests come due at once while time keeps running. It never goes back: the app's run log
 * and outbox assume time moves forward.
 */
export type SandboxClock = Clock & {
  /** Move forward by `ms` (ignored when not positive). */
  advance(ms: number): void;
  /** Move forward to `at` (ignored when `at` is not later than now). */
  advanceTo(at: number): void;
  /** How far ahead of real time the sandbox is, in ms. */
  offset(): number;
};

export function createSandboxClock(
  startAt: number = Date.now(),
  realNow: () => number = Date.now,
): SandboxClock {
  let offset = startAt - realNow();
  const now = () => realNow() + offset;
  return {
    now,
    advance(ms) {
      if (ms > 0) offset += ms;
    },
    advanceTo(at) {
      const ahead = at - now();
      if (ahead > 0) offset += ahead;
    },
    offset: () => offset,
  };
}
