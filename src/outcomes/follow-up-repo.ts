import type { Db } from '../store/db.js';
import { fromNull } from '../store/rows.js';
import { stmt } from '../store/statements.js';

/** The customer_follow_ups table (migration 0016): one follow-up per resolution of an item worth following. */

export type Outcome = 'kept' | 'came_back' | 'lost' | 'unknown';

export type FollowUp = {
  id: number;
  itemId: number;
  resolvedAt: number;
  customerId: number;
  departmentId: string | undefined;
  reporterId: string;
  askedAt: number | undefined;
  remindedAt: number | undefined;
  nextAt: number | undefined;
  outcome: Outcome | undefined;
  reason: string | undefined;
  note: string | undefined;
  recordedBy: string | undefined;
  recordedAt: number | undefined;
  linkedItemId: number | undefined;
};

type FollowUpRow = {
  id: number;
  item_id: number;
  resolved_at: number;
  customer_id: number;
  department_id: string | null;
  reporter_id: string;
  asked_at: number | null;
  reminded_at: number | null;
  next_at: number | null;
  outcome: Outcome | null;
  reason: string | null;
  note: string | null;
  recorded_by: string | null;
  recorded_at: number | null;
  linked_item_id: number | null;
};

function rowToFollowUp(r: FollowUpRow): FollowUp {
  return {
    id: r.id,
    itemId: r.item_id,
    resolvedAt: r.resolved_at,
    customerId: r.customer_id,
    departmentId: fromNull(r.department_id),
    reporterId: r.reporter_id,
    askedAt: fromNull(r.asked_at),
    remindedAt: fromNull(r.reminded_at),
    nextAt: fromNull(r.next_at),
    outcome: fromNull(r.outcome),
    reason: fromNull(r.reason),
    note: fromNull(r.note),
    recordedBy: fromNull(r.recorded_by),
    recordedAt: fromNull(r.recorded_at),
    linkedItemId: fromNull(r.linked_item_id),
  };
}

export function getFollowUp(db: Db, id: number): FollowUp | undefined {
  const row = stmt(db, 'SELECT * FROM customer_follow_ups WHERE id = ?').get(id) as FollowUpRow | undefined;
  return row ? rowToFollowUp(row) : undefined;
}

/** How far resolutions were scanned for follow-ups (undefined: never, or follow-ups were off). */
export function getScanMark(db: Db): number | undefined {
  const v = stmt(db, 'SELECT resolved_through FROM follow_up_scan WHERE id = 1').pluck().get();
  return typeof v === 'number' ? v : undefined;
}

/**
 * Whether a follow-up run would have anything to do: a resolution worth scanning in (after, through], or a
 * follow-up step due at `now`. Two index seeks, so the minute tick can skip the job (and its schedule) otherwise.
 * The index is named (`INDEXED BY`): the app never runs ANALYZE, and without statistics SQLite chose the index on
 * status alone, reading every resolved item (about 200 ms at a year of data, on every minute tick).
 */
export function hasFollowUpWork(db: Db, range: { after: number; through: number }, now: number): boolean {
  const resolution = stmt(
    db,
    `SELECT 1 FROM feedback_items INDEXED BY feedback_items_follow_up
       WHERE status = 'resolved' AND customer_id IS NOT NULL AND resolved_at > ? AND resolved_at <= ? LIMIT 1`,
  ).get(range.after, range.through);
  if (resolution !== undefined) return true;
  return (
    stmt(db, 'SELECT 1 FROM customer_follow_ups WHERE next_at IS NOT NULL AND next_at <= ? LIMIT 1').get(
      now,
    ) !== undefined
  );
}

export function setScanMark(db: Db, through: number | undefined): void {
  if (through === undefined) {
    stmt(db, 'DELETE FROM follow_up_scan WHERE id = 1').run();
    return;
  }
  stmt(
    db,
    `INSERT INTO follow_up_scan (id, resolved_through) VALUES (1, ?)
     ON CONFLICT (id) DO UPDATE SET resolved_through = excluded.resolved_through`,
  ).run(through);
}

/**
 * Creates the follow-ups of the items resolved after `after` (a resolution time and item id, exclusive) and until
 * `through`, that are worth following (a complaint about a named customer, or any item whose customer was at risk when it was resolved),
 * due now: a range of the partial index `feedback_items_follow_up` (named: see `hasFollowUpWork`), at most `limit`
 * items, in resolution order. A
 * follow-up is made once per item and resolution. Returns the last item read, to continue after it.
 */
export function createDueFollowUps(
  db: Db,
  range: { after: { at: number; id: number }; through: number },
  now: number,
  limit: number,
): { read: number; last: { at: number; id: number } | undefined } {
  const rows = stmt(
    db,
    `SELECT id, resolved_at, customer_id, department_id, reporter_id FROM feedback_items INDEXED BY feedback_items_follow_up
       WHERE status = 'resolved' AND customer_id IS NOT NULL
         AND resolved_at >= ? AND resolved_at <= ? AND (resolved_at > ? OR id > ?)
         AND (kind = 'complaint' OR customer_at_risk = 1 OR EXISTS (SELECT 1 FROM customers c
               WHERE c.id = feedback_items.customer_id AND c.at_risk_since <= feedback_items.resolved_at))
       ORDER BY resolved_at, id LIMIT ?`,
  ).all(range.after.at, range.through, range.after.at, range.after.id, limit) as {
    id: number;
    resolved_at: number;
    customer_id: number;
    department_id: string | null;
    reporter_id: string;
  }[];
  const insert = stmt(
    db,
    `INSERT INTO customer_follow_ups (item_id, resolved_at, customer_id, department_id, reporter_id, created_at,
         next_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (item_id, resolved_at) DO NOTHING`,
  );
  for (const r of rows)
    insert.run(r.id, r.resolved_at, r.customer_id, r.department_id, r.reporter_id, now, now);
  const last = rows.at(-1);
  return { read: rows.length, last: last && { at: last.resolved_at, id: last.id } };
}

/** Follow-ups whose next step (ask, remind, record as unknown) is due at `now`: the partial index on next_at. */
export function listDueFollowUps(db: Db, now: number, limit: number): FollowUp[] {
  const rows = stmt(
    db,
    'SELECT * FROM customer_follow_ups WHERE next_at IS NOT NULL AND next_at <= ? ORDER BY next_at LIMIT ?',
  ).all(now, limit) as FollowUpRow[];
  return rows.map(rowToFollowUp);
}

/** The follow-up was asked (or reminded): look again at `nextAt`. */
export function markFollowUpStep(
  db: Db,
  id: number,
  step: 'asked' | 'reminded',
  now: number,
  nextAt: number,
) {
  const column = step === 'asked' ? 'asked_at' : 'reminded_at';
  stmt(db, `UPDATE customer_follow_ups SET ${column} = ?, next_at = ? WHERE id = ?`).run(now, nextAt, id);
}

/** A follow-up that no longer applies (its item was reopened since): no step is taken, nothing is recorded. */
export function dropFollowUp(db: Db, id: number): void {
  stmt(db, 'UPDATE customer_follow_ups SET next_at = NULL WHERE id = ? AND outcome IS NULL').run(id);
}

/** Records the outcome once; false when one was recorded already (a double click, or the reminder raced it). */
export function recordOutcome(
  db: Db,
  o: {
    id: number;
    outcome: Outcome;
    by: string | undefined;
    at: number;
    reason?: string | undefined;
    note?: string | undefined;
  },
): boolean {
  const result = stmt(
    db,
    `UPDATE customer_follow_ups SET outcome = ?, recorded_by = ?, recorded_at = ?, reason = ?, note = ?,
         next_at = NULL WHERE id = ? AND outcome IS NULL`,
  ).run(o.outcome, o.by ?? null, o.at, o.reason ?? null, o.note ?? null, o.id);
  return result.changes === 1;
}

export function setLinkedItem(db: Db, id: number, linkedItemId: number): void {
  stmt(db, 'UPDATE customer_follow_ups SET linked_item_id = ? WHERE id = ?').run(linkedItemId, id);
}
