import type { Db } from '../../store/db.js';
import { stmt } from '../../store/statements.js';
import type { OutboxKind, OutboxPayloads } from './outbox-kinds.js';

export type OutboxStatus = 'pending' | 'sent' | 'dead';

type OutboxRow = {
  id: number;
  kind: string;
  payload: string;
  dedupe_key: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  finished_at: number | null;
  ordering_key: string | null;
  attempt_started_at: number | null;
  retry_since: number | null;
};

export type OutboxEntry = {
  id: number;
  kind: string;
  payload: unknown;
  dedupeKey: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | undefined;
  createdAt: number;
  /** The conversation (channel id, or user id for a DM): its messages go out one at a time, in queue order. */
  orderingKey: string | undefined;
  /** An attempt started then and its outcome is unknown (the process stopped, or the call timed out). */
  attemptStartedAt: number | undefined;
  /** Start of the retry window: parked when it has passed. */
  retrySince: number;
};

function rowToEntry(row: OutboxRow): OutboxEntry {
  return {
    id: row.id,
    kind: row.kind,
    payload: JSON.parse(row.payload) as unknown,
    dedupeKey: row.dedupe_key,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error ?? undefined,
    createdAt: row.created_at,
    orderingKey: row.ordering_key ?? undefined,
    attemptStartedAt: row.attempt_started_at ?? undefined,
    retrySince: row.retry_since ?? row.created_at,
  };
}

export type NewOutboxMessage<K extends OutboxKind> = {
  /** Declared, with its payload schema, by the feature that owns it (`outbox-kinds.ts`). */
  kind: K;
  payload: OutboxPayloads[K];
  dedupeKey: string;
  /**
   * The conversation the message goes to: a channel id (thread replies too), or a user id for a DM. Messages
   * with the same key are delivered one at a time in the order they were queued; leave it out for work that
   * posts nowhere in particular (a Home tab publish).
   */
  orderingKey?: string | undefined;
};

/**
 * Queue a Slack delivery. Call it inside the same transaction that stores what the message is about,
 * so the two are committed together. A second message with the same dedupe key is ignored. `dueAt`: not before
 * then (default now), for a message that is a safety net for work under way elsewhere.
 */
export function enqueueOutbox<K extends OutboxKind>(
  db: Db,
  message: NewOutboxMessage<K>,
  now: number,
  dueAt = now,
): boolean {
  const result = stmt(
    db,
    `INSERT INTO outbox (kind, payload, dedupe_key, next_attempt_at, created_at, ordering_key, retry_since)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`,
  ).run(
    message.kind,
    JSON.stringify(message.payload),
    message.dedupeKey,
    dueAt,
    now,
    message.orderingKey ?? null,
    now,
  );
  return result.changes === 1;
}

/** The pending message with this dedupe key is due now (it was queued for later); whether there was one. */
export function makeDueNow(db: Db, dedupeKey: string, now: number): boolean {
  return (
    stmt(
      db,
      `UPDATE outbox SET next_attempt_at = ? WHERE dedupe_key = ? AND status = 'pending' AND next_attempt_at > ?`,
    ).run(now, dedupeKey, now).changes === 1
  );
}

/** The pending message with this dedupe key is not needed any more: closed as sent, with why. */
export function closePendingByKey(db: Db, dedupeKey: string, reason: string, now: number): boolean {
  return (
    stmt(
      db,
      `UPDATE outbox SET status = 'sent', finished_at = ?, last_error = ? WHERE dedupe_key = ? AND status = 'pending'`,
    ).run(now, reason, dedupeKey).changes === 1
  );
}

/**
 * How many of the earliest due messages the quick look reads besides those under way (bounded: never the whole
 * backlog). The messages under way are among the earliest due and are left out, so they are read on top: with
 * 64 in all, twelve runs of eight under way left the look nothing, and every look walked the conversations.
 */
export const QUICK_LOOK = 64;
/** The most of those under way read on top (twelve calls at once hold at most 12 runs of 32). */
const UNDER_WAY_READ_MAX = 512;

/**
 * Due messages that may start now: only the first pending message of each conversation (its ordering key),
 * skipping messages under way and conversations that must wait (pacing). Unkeyed messages are all eligible.
 * `walkNext`: the walk was needed and found fewer than asked (a backlog in a few conversations), so the next
 * look may as well walk at once.
 *
 * It is called each time a delivery finishes, so its cost must not grow with the backlog. First a quick look
 * at the QUICK_LOOK earliest due messages, keeping those that are first in their conversation: when it finds
 * as many as asked, they are the earliest there are (any other is due later). That is the usual case, many
 * conversations with a message or two (DMs after a burst of kudos), where walking every conversation cost
 * ~8 ms a call with 6,000 waiting. When it finds fewer but read every due message (`moreDueThan`), it found
 * all there are: the usual case when requests come at a steady pace, where the walk found nothing more and
 * cost twice the quick look (~70 µs against ~30 on a 2-core machine, with nothing waiting). Otherwise (a few
 * conversations with long backlogs) it walks the conversations, one index step each.
 */
export function findDueOutbox(
  db: Db,
  now: number,
  limit: number,
  excludeIds: readonly number[],
  excludeKeys: readonly string[] = [],
  /** false: straight to the walk (the last look's `walkNext`). */
  quickFirst = true,
): { entries: OutboxEntry[]; walkNext: boolean } {
  const ids = JSON.stringify(excludeIds);
  const keys = JSON.stringify(excludeKeys);
  const read = QUICK_LOOK + Math.min(excludeIds.length, UNDER_WAY_READ_MAX);
  let beyond: boolean | undefined;
  if (quickFirst) {
    const quick = stmt(
      db,
      `SELECT o.* FROM (SELECT * FROM outbox INDEXED BY outbox_due WHERE status = 'pending' AND next_attempt_at <= ?
                        ORDER BY next_attempt_at, id LIMIT ?) o
       WHERE o.id NOT IN (SELECT value FROM json_each(?))
         AND (o.ordering_key IS NULL OR (o.ordering_key NOT IN (SELECT value FROM json_each(?))
           AND NOT EXISTS (SELECT 1 FROM outbox p INDEXED BY outbox_pending_order
                           WHERE p.status = 'pending' AND p.ordering_key = o.ordering_key AND p.id < o.id)))
       ORDER BY o.next_attempt_at, o.id LIMIT ?`,
    ).all(now, read, ids, keys, limit) as OutboxRow[];
    if (quick.length >= limit) return { entries: quick.map(rowToEntry), walkNext: false };
    beyond = moreDueThan(db, now, read);
    if (!beyond) return { entries: quick.map(rowToEntry), walkNext: false };
  }
  const walked = walkDueOutbox(db, now, limit, ids, keys);
  if (walked.length >= limit) return { entries: walked.map(rowToEntry), walkNext: false };
  // A walk that found fewer: walk at once next time only while the backlog is past the quick look's reach.
  beyond ??= moreDueThan(db, now, read);
  return { entries: walked.map(rowToEntry), walkNext: beyond };
}

/** `findDueOutbox`'s messages alone. */
export function listDueOutbox(...args: Parameters<typeof findDueOutbox>): OutboxEntry[] {
  return findDueOutbox(...args).entries;
}

/** Whether more than `count` pending messages are due (reads at most `count` + 1 index entries). */
function moreDueThan(db: Db, now: number, count: number): boolean {
  return (
    stmt(
      db,
      `SELECT COUNT(*) > ? FROM (SELECT 1 FROM outbox INDEXED BY outbox_due
                                 WHERE status = 'pending' AND next_attempt_at <= ? LIMIT ?)`,
    )
      .pluck()
      .get(count, now, count + 1) === 1
  );
}

/**
 * The walk: each conversation's first pending message (one index step per conversation, `keys`), and the
 * earliest due unkeyed messages, at most `limit` of them (outbox_pending_unkeyed: never every one waiting).
 * `INDEXED BY`: without statistics SQLite would walk every pending message through outbox_due to find the
 * smallest key.
 */
function walkDueOutbox(db: Db, now: number, limit: number, ids: string, keys: string): OutboxRow[] {
  return stmt(
    db,
    `WITH RECURSIVE keys(k) AS (
         SELECT MIN(ordering_key) FROM outbox INDEXED BY outbox_pending_order
         WHERE status = 'pending' AND ordering_key IS NOT NULL
         UNION ALL
         SELECT (SELECT MIN(ordering_key) FROM outbox INDEXED BY outbox_pending_order
                 WHERE status = 'pending' AND ordering_key > keys.k)
         FROM keys WHERE keys.k IS NOT NULL
       ),
       heads(id) AS (
         SELECT (SELECT MIN(p.id) FROM outbox p WHERE p.status = 'pending' AND p.ordering_key = keys.k)
         FROM keys WHERE keys.k IS NOT NULL AND keys.k NOT IN (SELECT value FROM json_each(?))
         UNION ALL
         SELECT id FROM (SELECT id FROM outbox INDEXED BY outbox_pending_unkeyed
                         WHERE status = 'pending' AND ordering_key IS NULL AND next_attempt_at <= ?
                           AND id NOT IN (SELECT value FROM json_each(?))
                         ORDER BY next_attempt_at, id LIMIT ?)
       )
       SELECT o.* FROM heads JOIN outbox o ON o.id = heads.id
       WHERE o.next_attempt_at <= ? AND o.id NOT IN (SELECT value FROM json_each(?))
       ORDER BY o.next_attempt_at, o.id LIMIT ?`,
  ).all(keys, now, ids, limit, now, ids, limit) as OutboxRow[];
}

/**
 * Record that attempts are starting, before their Slack calls, in one transaction (kept from the first attempt
 * whose outcome is unknown).
 */
export function markAttemptsStarted(db: Db, ids: readonly number[], now: number): void {
  if (ids.length === 0) return;
  stmt(
    db,
    'UPDATE outbox SET attempt_started_at = COALESCE(attempt_started_at, ?) WHERE id IN (SELECT value FROM json_each(?))',
  ).run(now, JSON.stringify(ids));
}

/**
 * The messages queued after `after` in its conversation (`orderingKey`), in queue order, as long as each is due
 * by `now`: the rest of a run (one index range). Stops at the first that is not due (a retry waiting its turn),
 * because nothing after it may go before it.
 */
export function listDueAfter(
  db: Db,
  after: { id: number; orderingKey: string },
  now: number,
  limit: number,
): OutboxEntry[] {
  const rows = stmt(
    db,
    `SELECT * FROM outbox INDEXED BY outbox_pending_order
       WHERE status = 'pending' AND ordering_key = ? AND id > ? ORDER BY id LIMIT ?`,
  ).all(after.orderingKey, after.id, limit) as OutboxRow[];
  const due = rows.findIndex((row) => row.next_attempt_at > now);
  return (due < 0 ? rows : rows.slice(0, due)).map(rowToEntry);
}

/**
 * Attempts recorded as starting that never started (the rest of a run that stopped): their marks are taken back,
 * so their first attempt does not look in Slack for a post that cannot be there. Only marks set by that claim
 * (`ids` are messages that had none before it).
 */
export function releaseAttempts(db: Db, ids: readonly number[]): void {
  if (ids.length === 0) return;
  stmt(
    db,
    `UPDATE outbox SET attempt_started_at = NULL
       WHERE status = 'pending' AND id IN (SELECT value FROM json_each(?))`,
  ).run(JSON.stringify(ids));
}

/** The newest message's id (ids only grow: outbox rows are never deleted). */
export function lastOutboxId(db: Db): number {
  return (stmt(db, 'SELECT MAX(id) AS id FROM outbox').get() as { id: number | null }).id ?? 0;
}

/**
 * Whether a message queued after `afterId` may be able to start: pending, and not in a conversation under way
 * (`busyKeys`), whose messages wait for it anyway. One step along the primary key, over the new rows only.
 */
export function hasNewOutboxWork(db: Db, afterId: number, busyKeys: readonly string[]): boolean {
  return (
    stmt(
      db,
      // NOT INDEXED: along the primary key from `afterId`; SQLite would rather walk every pending message.
      `SELECT 1 FROM outbox NOT INDEXED WHERE id > ? AND status = 'pending'
         AND (ordering_key IS NULL OR ordering_key NOT IN (SELECT value FROM json_each(?))) LIMIT 1`,
    ).get(afterId, JSON.stringify(busyKeys)) !== undefined
  );
}

export function nextOutboxDueAt(db: Db): number | undefined {
  const row = stmt(db, `SELECT MIN(next_attempt_at) AS due FROM outbox WHERE status = 'pending'`).get() as {
    due: number | null;
  };
  return row.due ?? undefined;
}

/** Mark delivered messages sent (one statement for a batch). */
export function markOutboxSent(db: Db, ids: readonly number[], now: number): void {
  if (ids.length === 0) return;
  stmt(
    db,
    `UPDATE outbox SET status = 'sent', attempts = attempts + 1, finished_at = ?, last_error = NULL,
       attempt_started_at = NULL WHERE id IN (SELECT value FROM json_each(?))`,
  ).run(now, JSON.stringify(ids));
}

export function markOutboxDead(db: Db, id: number, error: string, now: number): void {
  stmt(
    db,
    `UPDATE outbox SET status = 'dead', attempts = attempts + 1, finished_at = ?, last_error = ?
     WHERE id = ? AND status = 'pending'`,
  ).run(now, error, id);
}

/**
 * Schedule another attempt. `countAttempt` is false for rate limits and outages: waiting our turn is not a
 * failure of this message. `outcomeUnknown` keeps the attempt mark, so the next attempt looks in Slack first.
 */
export function rescheduleOutbox(
  db: Db,
  id: number,
  nextAttemptAt: number,
  error: string,
  options: { countAttempt: boolean; outcomeUnknown: boolean },
): void {
  stmt(
    db, // Only while still pending: a message cancelled during its attempt stays cancelled.
    `UPDATE outbox SET next_attempt_at = ?, last_error = ?, attempts = attempts + ?,
       attempt_started_at = CASE WHEN ? THEN attempt_started_at ELSE NULL END
     WHERE id = ? AND status = 'pending'`,
  ).run(nextAttemptAt, error, options.countAttempt ? 1 : 0, options.outcomeUnknown ? 1 : 0, id);
}

/** Slack answers again after an outage: messages that waited for it are due now, in their queue order. */
export function resumeWaitingOutbox(db: Db, now: number): number {
  return stmt(
    db,
    `UPDATE outbox SET next_attempt_at = ? WHERE status = 'pending' AND next_attempt_at > ?
         AND (last_error LIKE 'http%' OR last_error LIKE 'request_error%')`,
  ).run(now, now).changes;
}

/** `/loop retry`: parked messages go back in the queue with a new retry window. Returns how many. */
export function retryParkedOutbox(db: Db, now: number): number {
  return stmt(
    db,
    `UPDATE outbox SET status = 'pending', next_attempt_at = ?, retry_since = ?, attempts = 0,
         finished_at = NULL, attempt_started_at = NULL WHERE status = 'dead'`,
  ).run(now, now).changes;
}

export type ParkedSummary = { reason: string; count: number; latestAt: number };

/** Parked messages grouped by why they were parked, most recent first. */
export function summarizeParkedOutbox(db: Db, limit = 10): ParkedSummary[] {
  return stmt(
    db,
    `SELECT COALESCE(last_error, 'unknown') AS reason, COUNT(*) AS count, MAX(finished_at) AS latestAt
       FROM outbox WHERE status = 'dead' GROUP BY reason ORDER BY latestAt DESC LIMIT ?`,
  ).all(limit) as ParkedSummary[];
}

export type OutboxCounts = Record<OutboxStatus, number>;

export function countOutbox(db: Db): OutboxCounts {
  const rows = stmt(db, 'SELECT status, COUNT(*) AS n FROM outbox GROUP BY status').all() as {
    status: OutboxStatus;
    n: number;
  }[];
  const counts: OutboxCounts = { pending: 0, sent: 0, dead: 0 };
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

/** Whether a message of this kind about this subject (a numeric payload field) is still waiting or under way. */
export function hasPending<K extends OutboxKind>(
  db: Db,
  kind: K,
  subject: { field: keyof OutboxPayloads[K] & string; value: number },
): boolean {
  if (!/^[A-Za-z]+$/.test(subject.field)) throw new Error('invalid payload field name');
  return (
    stmt(
      db,
      `SELECT 1 FROM outbox WHERE status = 'pending' AND kind = ? AND json_extract(payload, '$.${subject.field}') = ?
         LIMIT 1`,
    ).get(kind, subject.value) !== undefined
  );
}
