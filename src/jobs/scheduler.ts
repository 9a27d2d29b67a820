import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';

/**
 * node-cron wiring only: a tick every minute (and one at start, which catches up what was missed while
 * the app was down). What is due is decided by each task from the injected clock and the durable run log,
 * so a config reload reschedules at the next tick, and tests run "Monday 09:00" by calling tick().
 */

export type ScheduledTaskDef = { name: string; run(now: number): unknown };

export type Scheduler = {
  start(): void;
  stop(): Promise<void>;
  /** Run every task once at the clock's current time. */
  tick(): Promise<void>;
};

export function createScheduler(options: {
  clock: Clock;
  logger: Logger;
  tasks: ScheduledTaskDef[];
}): Scheduler {
  const log = options.logger.child({ module: 'scheduler' });
  let task: ScheduledTask | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = async () => {
    const now = options.clock.now();
    for (const t of options.tasks) {
      try {
        await t.run(now);
      } catch (error) {
        log.error(
          { err: error, task: t.name },
          'scheduled task failed; it will be tried again at the next tick',
        );
      }
    }
  };
  const serialTick = () => {
    running = running.then(tick);
    return running;
  };

  return {
    start() {
      if (task) return;
      task = cron.schedule('* * * * *', () => serialTick(), { name: 'courtesy-loop-tick', noOverlap: true });
      void serialTick();
    },
    async stop() {
      await task?.stop();
      await task?.destroy();
      task = undefined;
      await running;
    },
    tick: serialTick,
  };
}
