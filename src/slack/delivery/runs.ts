import type { Db } from '../../store/db.js';
import { conversationOf } from './lanes.js';
import { listDueAfter, type OutboxEntry } from './outbox-repo.js';
import type { Pacer } from './pacer.js';

/**
 * The longest run: how many messages of one conversation one call slot takes at once, one after another in
 * queue order. A department channel's posts go out one at a time, so with every post a look for work (two
 * queries over the queue) cost about as much as the post's own bookkeeping; taken in runs, one look serves up to
 * this many posts. Other conversations go on side by side in the other slots.
 */
export const RUN_MAX = 8;

/**
 * Each picked message with the due messages queued after it in its conversation, as far as pacing allows now
 * (taking their turns): the run one call slot delivers. Unkeyed messages run alone.
 */
export function extendRuns(
  db: Db,
  pacer: Pacer,
  heads: readonly OutboxEntry[],
  at: { now: number; maxLength: number },
): OutboxEntry[][] {
  return heads.map((head) => {
    if (head.orderingKey === undefined || at.maxLength <= 1) return [head];
    const run = [head];
    const conversation = conversationOf(head.orderingKey);
    const next = { id: head.id, orderingKey: head.orderingKey };
    for (const entry of listDueAfter(db, next, at.now, at.maxLength - 1)) {
      if (pacer.waitMs(conversation) > 0) break;
      pacer.take(conversation);
      run.push(entry);
    }
    return run;
  });
}
