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
 * in the file, which under steady writes a checkpoint running beside them rarely leaves: so when the worker
 * reports a log of `restartPages` or more, the app's connection checkpoints once between its transactions.
 * The worker has copied nearly all of it by then, so that costs little, and the next write starts the log
 * again (without it, a test's log reached 54,000 pages). After `quietLooks` quiet seconds the worker ends and the app's connection
 * checkpoints as SQLite does by default: a worker thread costs about 9 MB, and at rest one commit now and
 * then pays a checkpoint nobody notices. If the worker cannot start or a checkpoint fails, the app's
 * connection keeps its checkpoints, and says so once: the log never grows unchecked.
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
  /** The log size, in pages, at which the app's connection finishes a checkpoint itself (default 4,000). */
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
  const restartPages = options.restartPages ?? 4000;
  const totalChanges = db.prepare('SELECT total_changes()').pluck();
  const onMainThread = () => {
    if (db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  };
  let worker: CheckpointWorker | undefined;
  let broken = false;
  let last = 0;
  let quiet = 0;
  let timer: NodeJS.Timeout | undefined;

  const begin = () => {
    const spawned: CheckpointWorker = spawnCheckpointWorker({
      file: db.name,
      intervalMs: options.intervalMs ?? 250,
      driverPath: options.driverPath,
      onCheckpoint: (result) => {
        options.onCheckpoint?.(result);
        // Called between transactions (a message handler): the next write starts the log again.
        if (worker === spawned && db.open && result.log >= restartPages) db.pragma('wal_checkpoint(PASSIVE)');
      },
      ready: () => {
        if (worker === spawned && db.open) db.pragma('wal_autocheckpoint = 0');
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
    const ending = worker;
    if (!ending) return;
    worker = undefined;
    onMainThread();
    await ending.stop();
  };
  const look = () => {
    const now = Number(totalChanges.get());
    const written = now - last;
    last = now;
    if (written >= busyChanges) {
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
