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
 * How long a run that starts with a message of a kind that combines (DMs to one person thanked, a giver's notes)
 * may grow with more of that kind: they go out together, as few Slack messages as fit (`packPieces`, about 15
 * short kudos to one), so they take a pacing turn for every COMBINED_PER_TURN of them, not one each. Taken eight
 * at a time and a turn each, the DMs of people thanked in a reaction storm were 0.29 messages per reaction, and
 * with Slack's pace (three at once, then one a second) one message per kudos. Messages of other kinds in the
 * conversation still join a run only up to RUN_MAX, a turn each. After a crash, the messages of such a run each
 * have an attempt on record and are tried again alone, each looking for its post first (as any run's are).
 */
export const COMBINED_RUN_MAX = 32;
export const COMBINED_PER_TURN = 8;

/**
 * Each picked message with the due messages queued after it in its conversation, as far as pacing allows now
 * (taking their turns): the run one call slot delivers. Unkeyed messages run alone. `combines`: whether a
 * message goes out together with the others of its kind (`deliverInOrder`); left out, none does.
 */
export function extendRuns(
  db: Db,
  pacer: Pacer,
  heads: readonly OutboxEntry[],
  at: { now: number; maxLength: number; combines?: (entry: OutboxEntry) => boolean },
): OutboxEntry[][] {
  return heads.map((head) => {
    if (head.orderingKey === undefined || at.maxLength <= 1) return [head];
    const run = [head];
    const conversation = conversationOf(head.orderingKey);
    // Held by pacing after its head (a channel's burst spent): nothing to look for behind it.
    if (pacer.waitMs(conversation) > 0) return run;
    const combining = at.combines?.(head) === true;
    const next = { id: head.id, orderingKey: head.orderingKey };
    let together = 1;
    const longest = combining ? Math.max(at.maxLength, COMBINED_RUN_MAX) : at.maxLength;
    for (const entry of listDueAfter(db, next, at.now, longest - 1)) {
      const joins = combining && entry.kind === head.kind && at.combines?.(entry) === true;
      if (!joins && run.length >= at.maxLength) break;
      const turn = !joins || together % COMBINED_PER_TURN === 0;
      if (turn && pacer.waitMs(conversation) > 0) break;
      if (turn) pacer.take(conversation);
      if (joins) together += 1;
      run.push(entry);
    }
    return run;
  });
}

/** The runs under way: how many, every message they hold (none is picked again), and their conversations. */
export type RunsUnderWay = {
  readonly size: number;
  add(run: readonly OutboxEntry[], done: Promise<void>): void;
  remove(run: readonly OutboxEntry[]): void;
  claimedIds(): number[];
  busyKeys(): string[];
  /** Settles when every run under way now has ended. */
  ended(): Promise<unknown>;
};

export function createRunsUnderWay(): RunsUnderWay {
  const runs = new Map<number, Promise<void>>();
  const claimed = new Set<number>();
  // How many runs each conversation has under way (lanes of a channel are keys of their own).
  const keys = new Map<string, number>();
  const firstOf = (run: readonly OutboxEntry[]) => run[0] as OutboxEntry;
  return {
    get size() {
      return runs.size;
    },
    add(run, done) {
      const { id, orderingKey } = firstOf(run);
      runs.set(id, done);
      for (const entry of run) claimed.add(entry.id);
      if (orderingKey !== undefined) keys.set(orderingKey, (keys.get(orderingKey) ?? 0) + 1);
    },
    remove(run) {
      const { id, orderingKey } = firstOf(run);
      runs.delete(id);
      for (const entry of run) claimed.delete(entry.id);
      if (orderingKey === undefined) return;
      const left = (keys.get(orderingKey) ?? 1) - 1;
      if (left > 0) keys.set(orderingKey, left);
      else keys.delete(orderingKey);
    },
    claimedIds: () => [...claimed],
    busyKeys: () => [...keys.keys()],
    ended: () => Promise.allSettled([...runs.values()]),
  };
}

/**
 * A run's messages one after another. It stops at a failure (nothing after it may go first) or when it may not
 * go on (the loop stops, or the gates allow only one call: a rate limit or a probe); the messages it did not
 * start get their attempt marks back (`release`: those that had none before the run claimed them). The
 * deliveries' bookkeeping is recorded before a message of another kind starts (that one may need it: an update
 * needs the post's ts); when it cannot be, the run stops there. A message of the same kind goes on without it
 * (`whenMarkedSent`): one department post does not need the one before it, and recording after each post was
 * a commit per post.
 *
 * Messages of a kind that combines (`combines`: a DM that can list several kudos) are delivered together, in
 * one call, at the place of the first of them: the kind says its messages do not depend on the other kinds'
 * messages queued between them in the conversation.
 */
export async function deliverInOrder(
  run: readonly OutboxEntry[],
  steps: {
    mayGoOn(): boolean;
    /** Whether this message may be delivered together with the others of its kind in the run. */
    combines(entry: OutboxEntry): boolean;
    deliver(entries: readonly OutboxEntry[]): Promise<{ ok: boolean; writes: boolean }>;
    /** Records the bookkeeping of the deliveries so far; whether that of `entries` was recorded. */
    recorded(entries: readonly OutboxEntry[]): boolean;
    release(ids: number[]): void;
  },
): Promise<void> {
  const started = new Set<OutboxEntry>();
  let unrecorded: OutboxEntry[] = [];
  try {
    for (const entry of run) {
      if (started.has(entry)) continue;
      if (started.size > 0 && !steps.mayGoOn()) break;
      if (unrecorded.some((e) => e.kind !== entry.kind)) {
        if (!steps.recorded(unrecorded)) break;
        unrecorded = [];
      }
      const together = steps.combines(entry)
        ? run.filter((e) => e.kind === entry.kind && !started.has(e) && steps.combines(e))
        : [entry];
      for (const e of together) started.add(e);
      const { ok, writes } = await steps.deliver(together);
      if (!ok) break;
      if (writes) unrecorded.push(...together);
    }
  } finally {
    steps.release(run.flatMap((e) => (!started.has(e) && e.attemptStartedAt === undefined ? [e.id] : [])));
  }
}
