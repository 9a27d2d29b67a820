import type { Db } from './db.js';

/**
 * Writes that arrive in the same turn of the event loop, committed together in one `BEGIN IMMEDIATE`
 * transaction; every caller's promise settles only after that transaction has committed (or failed), so
 * "stored, then answered" holds for each of them.
 *
 * One commit writes every page a write changed to the WAL, and a feedback item changes about 39 pages (its
 * row and its many indexes, history, outbox, themes), most of them the same pages the next item changes:
 * eight items committed together wrote 9.6 pages each instead of 39. Nothing waits for a batch to fill: the
 * batch is whatever arrived before the event loop next checks (`setImmediate`), one write when requests come
 * one at a time. The writes share the transaction without a savepoint each: a savepoint journals every page
 * it changes to a temporary file, which cost more writes than the batch saved.
 *
 * A write that throws rejects only its own caller: the transaction is rolled back, `undo` is called so state
 * the caller keeps in memory can be read again from the database, and the other writes of the batch run
 * again in a new transaction. When the transaction itself cannot begin or commit, every caller of the batch
 * is rejected (after `undo`).
 */
export type GroupCommit<I, R> = (input: I) => Promise<R>;

type Waiting<I, R> = { input: I; resolve: (result: R) => void; reject: (error: unknown) => void };

export function createGroupCommit<I, R>(
  db: Db,
  options: { write: (input: I) => R; undo: () => void },
): GroupCommit<I, R> {
  let waiting: Waiting<I, R>[] = [];
  /** The position in its batch of the write running now (-1: none): the one that threw, when a write fails. */
  let running = -1;
  const writeAll = db.transaction((batch: readonly Waiting<I, R>[]): R[] =>
    batch.map((w, i) => {
      running = i;
      const result = options.write(w.input);
      running = -1;
      return result;
    }),
  );
  /** `undo`, never throwing: a failure to read memory back replaces the error the callers are given. */
  const undo = (error: unknown): unknown => {
    try {
      options.undo();
      return error;
    } catch (undoError) {
      return undoError;
    }
  };
  const commit = (batch: readonly Waiting<I, R>[]): void => {
    running = -1;
    let results: R[];
    try {
      results = writeAll.immediate(batch);
    } catch (error) {
      const culprit = batch[running];
      const reason = undo(error);
      if (!culprit) {
        for (const w of batch) w.reject(reason);
        return;
      }
      culprit.reject(reason);
      const rest = batch.filter((w) => w !== culprit);
      if (rest.length > 0) commit(rest);
      return;
    }
    batch.forEach((w, i) => {
      w.resolve(results[i] as R);
    });
  };
  const flush = () => {
    const batch = waiting;
    waiting = [];
    commit(batch);
  };
  return (input) =>
    new Promise<R>((resolve, reject) => {
      if (waiting.length === 0) setImmediate(flush);
      waiting.push({ input, resolve, reject });
    });
}
