import type { Db } from '../../store/db.js';
import { conversationOf } from './lanes.js';
import { findDueOutbox, type OutboxEntry } from './outbox-repo.js';
import type { Pacer } from './pacer.js';

/**
 * How the next look for work starts. A look that walked the conversations and still found fewer messages than
 * it asked for, with more due than the quick look reads, met a backlog in a few channels, as in a burst of
 * filings to three departments, where each look read and dropped 64 rows before the walk. Then the next look
 * walks at once; one that finds as many as it asks for, or finds the backlog within the quick look's reach,
 * starts with the quick look again (many conversations, where the walk costs a step for each; or a few
 * messages at a time, where the quick look sees them all).
 */
export type DueLooks = { walkFirst: boolean };

/**
 * Up to `free` due messages that may start now: the first of each conversation that is not under way and whose
 * pacing turn has come (taking that turn). `wake` learns when a conversation held by pacing may go.
 */
export function pickStartable(
  db: Db,
  pacer: Pacer,
  at: { now: number; free: number; underWay: readonly number[]; wake: (at: number) => void; looks: DueLooks },
): OutboxEntry[] {
  const { now, free, wake } = at;
  const overallWait = pacer.waitMs(undefined);
  if (overallWait > 0) {
    wake(now + overallWait);
    return [];
  }
  const picked: OutboxEntry[] = [];
  const pacedKeys: string[] = [];
  // Each round skips the conversations found waiting for their turn, so ready ones behind them are found.
  for (let round = 0; round < 10 && picked.length < free; round++) {
    const exclude = [...at.underWay, ...picked.map((e) => e.id)];
    const wanted = free - picked.length;
    const paced = pacedKeys.length;
    const look = findDueOutbox(db, now, wanted, exclude, pacedKeys, !at.looks.walkFirst);
    const due = look.entries;
    at.looks.walkFirst = look.walkNext;
    if (due.length === 0) break;
    for (const entry of due) {
      // Lanes of one channel share its pace: Slack limits posts per channel.
      const conversation = conversationOf(entry.orderingKey);
      const waitMs = pacer.waitMs(conversation);
      if (waitMs <= 0) {
        pacer.take(conversation);
        picked.push(entry);
      } else if (entry.orderingKey !== undefined) {
        pacedKeys.push(entry.orderingKey);
        wake(now + waitMs);
      } else {
        wake(now + waitMs);
        return picked;
      }
    }
    // Fewer than asked and no conversation held back by pacing: another look would find nothing more.
    if (due.length < wanted && pacedKeys.length === paced) break;
  }
  return picked;
}
