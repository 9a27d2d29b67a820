import type { Logger } from 'pino';
import type { Clock } from '../clock.js';

/**
 * A small scheduled job: runs `run(now)` every `everyMs` with the injected clock's time. Tests call
 * `runOnce(now)` directly instead of waiting. Runs never overlap; a failed run is logged and the next
 * one happens on schedule. What a run does must be idempotent (escalations are keyed), so a run repeated
 * after a restart sends nothing twice, and a run missed while the app was down is caught up by the next.
 */
export type IntervalJob = {
  start(): void;
  stop(): void;
  runOnce(now?: number): Promise<void>;
};

export function createIntervalJob(options: {
  name: string;
  everyMs: number;
  clock: Clock;
  logger: Logger;
  run: (now: number) => void | Promise<void>;
}): IntervalJob {
  const log = options.logger.child({ job: options.name });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const runOnce = async (now = options.clock.now()): Promise<void> => {
    if (running) await running;
    running = (async () => {
      try {
        await options.run(now);
      } catch (error) {
        log.error({ err: error }, 'scheduled job failed; it runs again on schedule');
      }
    })();
    try {
      await running;
    } finally {
      running = undefined;
    }
  };

  return {
    start() {
      if (timer) return;
      timer = setInterval(() => void runOnce(), options.everyMs);
      timer.unref();
      void runOnce();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
    runOnce,
  };
}
