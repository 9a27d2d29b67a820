import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';

/**
 * node-cron wiring only: a tick every minute (and one at start, which catches up what was missed while
 * the app was down). What is due is decided by each task from the injected clock and the durable run log,
 * so a config reload reschedules at the next tick, and tests run "Monday 09:00" by calling tick().
 */

export type ScheduledTaskDef = { name: string; run(now: number): unknown };

/** What the last tick cost: its duration and the longest the event loop was held while it ran. */
export type TickStats = { at: number; durationMs: number; eventLoopMaxMs: number };

/** A scheduled job that holds the event loop longer than this delays every request (a Slack ack too). */
const LOOP_HELD_WARN_MS = 50;
/** How often the loop-delay monitor samples; a block shows up when its next sample is late. */
const LOOP_SAMPLE_MS = 10;

export type Scheduler = {
  start(): void;
  stop(): Promise<void>;
  /** Run every task once at the clock's current time. */
  tick(): Promise<void>;
  /** The last tick's cost (shown by /healthz), once one has run. */
  lastTick(): TickStats | undefined;
};

export function createScheduler(options: {
  clock: Clock;
  logger: Logger;
  tasks: ScheduledTaskDef[];
}): Scheduler {
  const log = options.logger.child({ module: 'scheduler' });
  let task: ScheduledTask | undefined;
  let running: Promise<void> = Promise.resolve();
  let last: TickStats | undefined;

  const tick = async () => {
    const now = options.clock.now();
    const finish = await watchEventLoop((stats) => {
      last = { at: now, ...stats };
      if (stats.eventLoopMaxMs > LOOP_HELD_WARN_MS) {
        log.warn(last, 'a scheduled tick held the event loop: requests waited meanwhile');
      } else log.debug(last, 'scheduled tick done');
    });
    for (const t of options.tasks) {
      // A turn of the event loop between tasks: a task that finishes without giving the loop back (most do:
      // their work is synchronous) would otherwise run straight on into the next, and a tick's tasks held the
      // loop together, 85-88 ms after a burst of 20,000 filings, while requests waited.
      await nextTurn();
      try {
        await t.run(now);
      } catch (error) {
        log.error(
          { err: error, task: t.name },
          'scheduled task failed; it will be tried again at the next tick',
        );
      }
    }
    finish();
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
    lastTick: () => last,
  };
}

/**
 * Measures the event loop while a tick runs (perf_hooks' delay monitor, enabled only then). The monitor measures
 * from its first sample on, so this resolves once that sample is taken; `finish` stops the clock and, after one
 * more sample (a block is seen when the sample after it comes late), reports.
 */
async function watchEventLoop(report: (stats: { durationMs: number; eventLoopMaxMs: number }) => void) {
  const monitor = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
  monitor.enable();
  await new Promise((resolve) => setTimeout(resolve, 2 * LOOP_SAMPLE_MS));
  const started = performance.now();
  return () => {
    const durationMs = Math.round(performance.now() - started);
    setTimeout(() => {
      monitor.disable();
      report({ durationMs, eventLoopMaxMs: Math.round(monitor.max / 1e6) });
    }, 2 * LOOP_SAMPLE_MS).unref();
  };
}
