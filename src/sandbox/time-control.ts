import type { CourtesyLoop } from '../courtesy-loop.js';
import { occurrenceAfter } from '../jobs/cron.js';
import type { SandboxClock } from './clock.js';
import { pollUntil } from './standin/poll.js';

/**
 * The page's time controls. Jobs run through the app's own scheduler tick at the sandbox clock's time, so
 * "run the digests now" moves the clock to their next scheduled time and ticks: the same path as production.
 */

const DAY = 24 * 3_600_000;

export type TimeControl = ReturnType<typeof createTimeControl>;

export function createTimeControl(loop: CourtesyLoop, clock: SandboxClock) {
  /** Resolves once every queued Slack post has been delivered (or 10 s have passed). */
  const settle = async () => {
    await pollUntil(
      () => (loop.delivery.counts().pending === 0 ? true : undefined),
      10_000,
      () => `the sandbox's outbox still has ${loop.delivery.counts().pending} posts waiting`,
    ).catch(() => undefined);
  };
  const tick = async () => {
    await loop.scheduler.tick();
    await settle();
    return clock.now();
  };
  /** The earliest of these schedules' next times after now, or a day from now. */
  const nextOf = (schedules: { schedule: string; timezone: string }[]) => {
    const now = clock.now();
    const times = schedules
      .map((s) => occurrenceAfter(s.schedule, s.timezone, now))
      .filter((t): t is number => t !== undefined);
    return times.length === 0 ? now + DAY : Math.min(...times);
  };

  return {
    settle,
    /** "Run now" for the minute tick: SLA escalations and anything due. */
    tick,
    async advance(days: number) {
      clock.advance(days * DAY);
      return tick();
    },
    /** Jumps to the next team reminder time and ticks. */
    async runReminders() {
      const config = loop.config.current();
      clock.advanceTo(nextOf(config.departments.flatMap((d) => (d.reminder ? [d.reminder] : []))) + 60_000);
      return tick();
    },
    /** Jumps to the next weekly digest time and ticks. */
    async runDigests() {
      const config = loop.config.current();
      clock.advanceTo(
        nextOf(config.managers.map((m) => ({ schedule: config.digest.schedule, timezone: m.timezone }))) +
          60_000,
      );
      return tick();
    },
  };
}
