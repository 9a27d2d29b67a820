import type { Db } from '../../store/db.js';

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
  };
}

export type NewOutboxMessage = { kind: string; payload: unknown; dedupeKey: string };

/**
 * Queue a Slack delivery. Call it inside the same transaction that stores what the message is about,
 * so the two are committed together. A second message with the same dedupe key is ignored.
 */
export function enqueueOutbox(db: Db, message: NewOutboxMessage, now: number): boolean {
  const result = db
    .prepare(
      `INSERT INTO outbox (kind, payload, dedupe_key, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`,
    )
    .run(message.kind, JSON.stringify(message.payload), message.dedupeKey, now, now);
  return result.changes === 1;
}

export function listDueOutbox(
  db: Db,
  now: number,
  limit: number,
  excludeIds: readonly number[],
): OutboxEntry[] {
  const rows = db
    .prepare(
      `SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?
       ORDER BY next_attempt_at, id LIMIT ?`,
    )
    .all(now, limit + excludeIds.length) as OutboxRow[];
  const excluded = new Set(excludeIds);
  return rows
    .filter((r) => !excluded.has(r.id))
    .slice(0, limit)
    .map(rowToEntry);
}

export function nextOutboxDueAt(db: Db): number | undefined {
  const row = db.prepare(`SELECT MIN(next_attempt_at) AS due FROM outbox WHERE status = 'pending'`).get() as {
    due: number | null;
  };
  return row.due ?? undefined;
}

export function markOutboxSent(db: Db, id: number, now: number): void {
  db.prepare(
    `UPDATE outbox SET status = 'sent', attempts = attempts + 1, finished_at = ?, last_error = NULL WHERE id = ?`,
  ).run(now, id);
}

export function markOutboxDead(db: Db, id: number, error: string, now: number): void {
  db.prepare(
    `UPDATE outbox SET status = 'dead', attempts = attempts + 1, finished_at = ?, last_error = ?
     WHERE id = ? AND status = 'pending'`,
  ).run(now, error, id);
}

/**
 * Close pending messages of a kind whose payload has these top-level values: nothing is left to do for them
 * (a reaction removed before its retried handling). Recorded as finished, with the reason, not as failed.
 */
export function cancelPendingOutbox(
  db: Db,
  kind: string,
  match: Record<string, string>,
  reason: string,
  now: number,
): number {
  const keys = Object.keys(match);
  const where = keys.map(() => `json_extract(payload, '$.' || ?) = ?`).join(' AND ');
  return db
    .prepare(
      `UPDATE outbox SET status = 'sent', finished_at = ?, last_error = ?
       WHERE status = 'pending' AND kind = ?${keys.length ? ` AND ${where}` : ''}`,
    )
    .run(now, `cancelled: ${reason}`, kind, ...keys.flatMap((k) => [k, match[k]])).changes;
}

/** Schedule another attempt. `countAttempt` is false for rate limits: waiting our turn is not a failure. */
export function rescheduleOutbox(
  db: Db,
  id: number,
  nextAttemptAt: number,
  error: string,
  countAttempt: boolean,
): void {
  db.prepare(
    // Only while still pending: a message cancelled during its attempt stays cancelled.
    `UPDATE outbox SET next_attempt_at = ?, last_error = ?, attempts = attempts + ? WHERE id = ? AND status = 'pending'`,
  ).run(nextAttemptAt, error, countAttempt ? 1 : 0, id);
}

export type OutboxCounts = Record<OutboxStatus, number>;

export function countOutbox(db: Db): OutboxCounts {
  const rows = db.prepare('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status').all() as {
    status: OutboxStatus;
    n: number;
  }[];
  const counts: OutboxCounts = { pending: 0, sent: 0, dead: 0 };
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

/** Whether a message of this kind about this subject (a numeric payload field) is still waiting or under way. */
export function hasPending(db: Db, kind: string, subject: { field: string; value: number }): boolean {
  if (!/^[A-Za-z]+$/.test(subject.field)) throw new Error('invalid payload field name');
  return (
    db
      .prepare(
        `SELECT 1 FROM outbox WHERE status = 'pending' AND kind = ? AND json_extract(payload, '$.${subject.field}') = ?
         LIMIT 1`,
      )
      .get(kind, subject.value) !== undefined
  );
}

/**
 * Whether an earlier message of the same kind about the same subject is still waiting (or under way):
 * `subject` and `order` name numeric payload fields, e.g. itemId and eventId. Handlers that must keep
 * order (history lines in a thread, DMs about one item) wait for it by failing and being retried.
 */
export function hasEarlierPending(
  db: Db,
  kind: string,
  subject: { field: string; value: number },
  order: { field: string; value: number },
): boolean {
  const field = /^[A-Za-z]+$/;
  if (!field.test(subject.field) || !field.test(order.field)) throw new Error('invalid payload field name');
  return (
    db
      .prepare(
        `SELECT 1 FROM outbox WHERE status = 'pending' AND kind = ?
           AND json_extract(payload, '$.${subject.field}') = ? AND json_extract(payload, '$.${order.field}') < ?
         LIMIT 1`,
      )
      .get(kind, subject.value, order.value) !== undefined
  );
}
