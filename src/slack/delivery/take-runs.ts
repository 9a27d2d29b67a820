import type { Db } from '../../store/db.js';
import { lastOutboxId, markAttemptsStarted, type OutboxEntry } from './outbox-repo.js';
import type { Pacer } from './pacer.js';
import { type DueLooks, pickStartable } from './pick-startable.js';
import { extendRuns } from './runs.js';

export type RunTaker = {
  /** Due messages taken for delivery now: runs of one conversation each (`maxLength` at most), up to `free`. */
  take(now: number, free: number, maxLength: number): OutboxEntry[][];
  /** Messages up to this id were there at the last look for work (a kick only needs to look past it). */
  lookedUpTo(): number;
};

/**
 * One transaction: the posts made since the last look are marked sent (`markDelivered`), the due ones picked
 * with the runs behind them, and every attempt put on record before its call (after a crash, those messages are
 * looked for in Slack first). The transaction function is made once, not per look (better-sqlite3 makes five
 * functions for each `db.transaction`).
 */
export function createTakeRuns(
  db: Db,
  pacer: Pacer,
  steps: {
    markDelivered(): void;
    /** Messages under way (none is picked again). */
    underWay(): number[];
    /** When a conversation held by pacing may go. */
    wake(at: number): void;
    /** Whether a message goes out together with the others of its kind (longer runs: `COMBINED_RUN_MAX`). */
    combines(entry: OutboxEntry): boolean;
  },
): RunTaker {
  const looks: DueLooks = { walkFirst: false };
  let lookedUpTo = 0;
  const take = db.transaction((now: number, free: number, maxLength: number): OutboxEntry[][] => {
    steps.markDelivered();
    lookedUpTo = lastOutboxId(db);
    const underWay = steps.underWay();
    const picked = pickStartable(db, pacer, { now, free, underWay, wake: steps.wake, looks });
    const runs = extendRuns(db, pacer, picked, { now, maxLength, combines: steps.combines });
    markAttemptsStarted(
      db,
      runs.flat().map((e) => e.id),
      now,
    );
    return runs;
  });
  return { take, lookedUpTo: () => lookedUpTo };
}
