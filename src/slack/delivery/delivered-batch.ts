import type { Clock } from '../../clock.js';
import type { Db } from '../../store/db.js';
import { markOutboxSent, type OutboxEntry } from './outbox-repo.js';

/**
 * Messages delivered and not yet marked sent: marked together in one transaction (one commit for a whole burst
 * instead of one per post), by the next look for work or before the next message of a run. Until then they are
 * still pending in the database, so a crash in between makes the next attempt look for the post in Slack and
 * adopt it, as for any attempt whose outcome is unknown; and no look for work can pick them again, because
 * every look marks them first.
 */
export type DeliveredBatch = {
  add(entry: OutboxEntry, writes: readonly (() => void)[]): void;
  /** Mark every delivery so far sent, with its bookkeeping; returns those whose bookkeeping failed. */
  mark(): ReadonlySet<number>;
};

export function createDeliveredBatch(
  db: Db,
  clock: Clock,
  /** A delivery's bookkeeping failed (its savepoint was rolled back): it is to be tried again. */
  writeFailed: (entry: OutboxEntry, error: unknown) => void,
): DeliveredBatch {
  const delivered: { entry: OutboxEntry; writes: readonly (() => void)[] }[] = [];
  // Made once: better-sqlite3 makes five functions for each `db.transaction`, which was garbage for every post.
  const runWrites = db.transaction((writes: readonly (() => void)[]) => {
    for (const write of writes) write();
  });
  /** A delivery's bookkeeping in the batch (a savepoint each: one that fails is retried alone, like a failed call). */
  const commitWrites = (entry: OutboxEntry, writes: readonly (() => void)[]): boolean => {
    if (writes.length === 0) return true;
    try {
      runWrites(writes);
      return true;
    } catch (error) {
      writeFailed(entry, error);
      return false;
    }
  };
  const markAll = db.transaction((batch: typeof delivered, failed: Set<number>) => {
    const sent: number[] = [];
    for (const { entry, writes } of batch) {
      if (commitWrites(entry, writes)) sent.push(entry.id);
      else failed.add(entry.id);
    }
    markOutboxSent(db, sent, clock.now());
  });
  return {
    add: (entry, writes) => {
      delivered.push({ entry, writes });
    },
    mark() {
      const failed = new Set<number>();
      if (delivered.length === 0) return failed;
      markAll(delivered.splice(0), failed);
      return failed;
    },
  };
}
