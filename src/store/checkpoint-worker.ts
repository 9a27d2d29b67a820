import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** What SQLite said of the log after a checkpoint: its frames, and how many of them are in the database file. */
export type CheckpointResult = { busy: number; log: number; checkpointed: number };

/**
 * The worker's code, plain JavaScript given as text (`eval`), so it runs the same from `dist/` and under the
 * tests' TypeScript loader. It only checkpoints: no schema, no pragma the app relies on. A PASSIVE checkpoint
 * copies what it can without waiting for, or blocking, the app's readers and writer. The next one is set
 * `intervalMs` after the last ended, so there is always a gap between them. When a checkpoint has copied a
 * log of `restartPages` or more whole, the worker asks the app's connection to finish it (`restart`) and waits
 * for `go`: nothing of the worker's may be under way while it does.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
db.pragma('synchronous = NORMAL');
let last = '';
let timer;
let stopped = false;
const checkpoint = () => {
  timer = undefined;
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    // The counts are of the log as it stands, not of this call: told only when they changed.
    const now = r.log + '/' + r.checkpointed;
    if (r.checkpointed > 0 && now !== last) parentPort.postMessage({ type: 'checkpoint', busy: r.busy, log: r.log, checkpointed: r.checkpointed });
    last = now;
    if (r.busy === 0 && r.log >= workerData.restartPages && r.checkpointed === r.log) {
      parentPort.postMessage({ type: 'restart', log: r.log });
      return;
    }
  } catch (error) {
    // Another connection holds a lock a moment (a backup's check): the next interval tries again.
    if (!/^SQLITE_(BUSY|LOCKED)/.test(String(error && error.code))) {
      parentPort.postMessage({ type: 'failed', message: String((error && error.message) || error) });
      return;
    }
  }
  next();
};
const next = () => {
  if (!stopped && timer === undefined) timer = setTimeout(checkpoint, workerData.intervalMs);
};
parentPort.on('message', (message) => {
  if (message === 'go') return next();
  if (message !== 'stop') return;
  stopped = true;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage({ type: 'ready' });
next();
`;

type WorkerMessage =
  | { type: 'ready' }
  | ({ type: 'checkpoint' } & CheckpointResult)
  | { type: 'restart'; log: number }
  | { type: 'failed'; message: string };

export type CheckpointWorker = {
  /** Ends the worker (its connection closed); resolves when it has exited. */
  stop(): Promise<void>;
};

const STOP_WAIT_MS = 900;

/**
 * A worker thread that checkpoints the database file `file` with a connection of its own. `ready`: it
 * checkpoints from now on. `restart`: it copied a long log whole and waits while the app's connection
 * finishes the checkpoint (between transactions), so the next write starts the log again. `failed`: it could
 * not start, a checkpoint failed, or it ended unasked; called once, and the worker is gone.
 */
export function spawnCheckpointWorker(options: {
  file: string;
  intervalMs: number;
  restartPages: number;
  driverPath?: string | undefined;
  ready(): void;
  restart(): void;
  failed(why: string, err?: unknown): void;
  onCheckpoint?: ((result: CheckpointResult) => void) | undefined;
}): CheckpointWorker {
  const driverPath = options.driverPath ?? createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      file: options.file,
      driverPath,
      intervalMs: options.intervalMs,
      restartPages: options.restartPages,
    },
  });
  // Never what keeps the process alive: `stop` ends it, and a process that exits without it loses nothing.
  worker.unref();
  let over = false;
  let ready = false;
  const fail = (why: string, err?: unknown) => {
    if (over) return;
    over = true;
    options.failed(why, err);
    void worker.terminate();
  };
  const handle = (message: WorkerMessage) => {
    if (message.type === 'ready') {
      ready = true;
      options.ready();
    } else if (message.type === 'checkpoint') options.onCheckpoint?.(message);
    else if (message.type === 'restart') {
      options.restart();
      worker.postMessage('go');
    } else fail(`a checkpoint failed: ${message.message}`);
  };
  worker.on('message', (message: WorkerMessage) => {
    if (over) return;
    try {
      handle(message);
    } catch (error) {
      fail('the app connection could not take its part', error);
    }
  });
  worker.on('error', (error) => fail('the checkpoint worker failed', error));
  worker.on('exit', () =>
    fail(ready ? 'the checkpoint worker exited' : 'the checkpoint worker did not start'),
  );
  return {
    async stop() {
      if (over) return;
      over = true;
      // Kept alive while it stops, so the process does not end before the app's own connection closes.
      worker.ref();
      const exited = new Promise<'exited'>((resolve) => worker.once('exit', () => resolve('exited')));
      worker.postMessage('stop');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), STOP_WAIT_MS);
      });
      if ((await Promise.race([exited, late])) === 'late') await worker.terminate();
      clearTimeout(timer);
    },
  };
}
