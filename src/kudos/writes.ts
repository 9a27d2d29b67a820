import type { Db } from '../store/db.js';
import { createGroupCommit } from '../store/group-commit.js';

/**
 * The kudos room's writes made before an answer (a give, or a `/kudos` stored to be given later), committed
 * together with the others that arrive in the same turn of the event loop (`store/group-commit.ts`): a burst of
 * kudos or reactions costs a commit per turn, not one each. Each caller's promise settles once its write is
 * committed, so "stored, then answered" holds; a write that throws rejects only its own caller.
 */
export type KudosWrites = <R>(write: () => R) => Promise<R>;

export function createKudosWrites(db: Db): KudosWrites {
  // Nothing of a write is kept in memory, so a rolled-back batch has nothing to read again.
  const commit = createGroupCommit<() => unknown, unknown>(db, { write: (write) => write(), undo: () => {} });
  return <R>(write: () => R) => commit(write) as Promise<R>;
}

/**
 * Each write committed at once, in its own transaction: for gives made by the outbox (a `/kudos` given later),
 * whose outcome the giver is told right after, without waiting for the turn to end.
 */
export function immediateKudosWrites(db: Db): KudosWrites {
  return <R>(write: () => R) => Promise.resolve(db.transaction(write).immediate());
}
