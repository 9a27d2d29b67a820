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
  /**
   * Moves the clock through the next run of each schedule (those within a day of the first), ticking at
   * each, so every team's reminder (or every manager's digest) goes out at its own scheduled time.
   */
  const runNext = async (schedules: { schedule: string; timezone: string }[]) => {
    const now = clock.now();
    const times = [
      ...new Set(
        schedules
          .map((s) => occurrenceAfter(s.schedule, s.timezone, now))
          .filter((t): t is number => t !== undefined),
      ),
    ].sort((a, b) => a - b);
    const first = times[0];
    for (const time of times.filter((t) => first !== undefined && t - first < DAY)) {
      clock.advanceTo(time + 60_000);
      await tick();
    }
    return clock.now();
  };

  return {
    settle,
    /** "Run now" for the minute tick: SLA escalations and anything due. */
    tick,
    async advance(days: number) {
      clock.advance(days * DAY);
      return tick();
    },
    /** Runs every team's next reminder at its scheduled time. */
    runReminders() {
      const config = loop.config.current();
      return runNext(config.departments.flatMap((d) => (d.reminder ? [d.reminder] : [])));
    },
    /** Runs every manager's next weekly digest at its scheduled time. */
    runDigests() {
      const config = loop.config.current();
      return runNext(
        config.managers.map((m) => ({ schedule: config.digest.schedule, timezone: m.timezone })),
      );
    },
  };
}
