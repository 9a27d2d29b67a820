import type { Logger } from 'pino';
import { type CheckpointResult, type CheckpointWorker, spawnCheckpointWorker } from './checkpoint-worker.js';
import type { Db } from './db.js';

/**
 * WAL checkpoints off the request thread while the database is written hard.
 *
 * In WAL mode SQLite copies the log back into the database file (a checkpoint, with its fsyncs) inside the
 * commit that takes the log past 1,000 pages, on the thread that commits: here, the one that acknowledges
 * Slack's requests. A `/feedback` item changes about 20-40 pages, so at 200 items a second that was a pause
 * of several ms a few times a second. In 20,000 one-row commits, 111 took over 2 ms (up to 7.6 ms) with
 * those checkpoints and none without, and the run took 28% longer.
 *
 * So while more than `busyChanges` rows a second are written, a worker thread with a connection of its own
 * checkpoints every `intervalMs` (`checkpoint-worker.ts`) and the app's connection takes none
 * (`wal_autocheckpoint = 0`). The log starts again from the top only at a write that begins when all of it is
 * in the file, which a checkpoint running beside steady writes rarely leaves (a test's log reached 54,000
 * pages): so when the worker has copied a log of `restartPages` or more whole, it waits while the app's
 * connection checkpoints once between its transactions (only what was written since), and the next write
 * starts the log again. A log that still reaches four times that (a reader holding an old snapshot) ends the
 * worker until the next busy look, and the app's connection checkpoints as by default meanwhile.
 */
export type Checkpointer = {
  /** Watch the write rate (a look every `watchMs`). */
  start(): void;
  /** Stop watching and end the worker, before the app's connection closes (which checkpoints last). */
  stop(): Promise<void>;
  /** Whether the worker is checkpointing now. */
  offThread(): boolean;
};

export type CheckpointerOptions = {
  logger: Pick<Logger, 'warn' | 'debug'>;
  /** How often the worker checkpoints (default 250 ms). */
  intervalMs?: number;
  /** How often the write rate is looked at (default 1 s). */
  watchMs?: number;
  /** Rows written since the last look that start the worker (default 100). */
  busyChanges?: number;
  /** Looks in a row under `busyChanges` after which the worker ends (default 60). */
  quietLooks?: number;
  /**
   * The log size, in pages, at which the app's connection finishes a checkpoint itself (default 8,000, 32 MB).
   * That call pauses the app's thread for the pages written since the worker's copy and two fsyncs (2.6-8.8 ms
   * measured at 4,000): at 200 filings a second, 8,000 pages is one pause every 1-2 s.
   */
  restartPages?: number;
  /** Told of each checkpoint that copied pages (tests). */
  onCheckpoint?: (result: CheckpointResult) => void;
  /** The SQLite driver the worker loads (tests give a broken one); default better-sqlite3. */
  driverPath?: string;
};

/** SQLite's own default: a checkpoint in the commit that takes the log past this many pages. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

const none: Checkpointer = { start() {}, stop: async () => {}, offThread: () => false };

/** The checkpointer of `db`; an in-memory or read-only database needs none. */
export function createCheckpointer(db: Db, options: CheckpointerOptions): Checkpointer {
  if (db.memory || db.readonly) return none;
  const { logger } = options;
  const busyChanges = options.busyChanges ?? 100;
  const quietLooks = options.quietLooks ?? 60;
  const restartPages = options.restartPages ?? 8000;
  const totalChanges = db.prepare('SELECT total_changes()').pluck();
  const onMainThread = () => {
    try {
      if (db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
    } catch (err) {
      logger.warn({ err }, 'could not give WAL checkpoints back to the main thread');
    }
  };
  let worker: CheckpointWorker | undefined;
  let broken = false;
  let last = 0;
  let quiet = 0;
  let timer: NodeJS.Timeout | undefined;

  let ending: Promise<void> | undefined;
  /** Looks to wait before the worker may start again, after the log outgrew it. */
  let resting = 0;

  const begin = () => {
    const spawned: CheckpointWorker = spawnCheckpointWorker({
      file: db.name,
      intervalMs: options.intervalMs ?? 250,
      restartPages,
      driverPath: options.driverPath,
      onCheckpoint: (result) => {
        options.onCheckpoint?.(result);
        if (worker === spawned && result.log >= 4 * restartPages) {
          logger.warn(
            { pages: result.log },
            'the WAL keeps growing; checkpoints are back on the main thread',
          );
          // Not again at once: what holds the log (a long read) is likely still there.
          resting = quietLooks;
          void end();
        }
      },
      ready: () => {
        if (worker === spawned && db.open) db.pragma('wal_autocheckpoint = 0');
      },
      // A message handler runs between transactions: the next write starts the log again.
      restart: () => {
        if (worker === spawned && db.open) db.pragma('wal_checkpoint(PASSIVE)');
      },
      failed: (why, err) => {
        if (worker !== spawned) return;
        worker = undefined;
        broken = true;
        onMainThread();
        logger.warn({ err, why }, 'WAL checkpoints stay on the main thread until the app restarts');
      },
    });
    worker = spawned;
    logger.debug('writes are busy: WAL checkpoints move to a worker thread');
  };
  const end = async () => {
    const stopping = worker;
    if (stopping) {
      worker = undefined;
      onMainThread();
      ending = stopping.stop();
    }
    await ending;
  };
  const look = () => {
    const now = Number(totalChanges.get());
    const written = now - last;
    last = now;
    if (resting > 0) resting -= 1;
    else if (written >= busyChanges) {
      quiet = 0;
      if (!worker && !broken) begin();
    } else if (worker && ++quiet >= quietLooks) {
      logger.debug('writes are quiet: WAL checkpoints are back on the main thread');
      void end();
    }
  };

  return {
    start() {
      if (timer) return;
      last = Number(totalChanges.get());
      timer = setInterval(() => {
        try {
          look();
        } catch (err) {
          logger.warn({ err }, 'could not look at the write rate');
        }
      }, options.watchMs ?? 1000);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await end();
    },
    offThread: () => worker !== undefined,
  };
}
