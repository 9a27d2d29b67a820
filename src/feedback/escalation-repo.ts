import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';
import { type FeedbackItem, OPEN_STATUSES } from './types.js';

/**
 * What the SLA job reads and records: the items whose next check is due (`sla_next_at`), the SLA policy they
 * were checked under, and the feedback_escalations table (one row per escalation sent, unique per item, SLA
 * cycle, kind and level).
 */

export function insertEscalation(
  db: Db,
  e: {
    itemId: number;
    departmentId: string;
    key: string;
    kind: string;
    level: string;
    dueAt: number;
    now: number;
  },
): boolean {
  const result = stmt(
    db,
    `INSERT INTO feedback_escalations (item_id, department_id, escalation_key, kind, level, due_at, sent_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (escalation_key) DO NOTHING`,
  ).run(e.itemId, e.departmentId, e.key, e.kind, e.level, e.dueAt, e.now);
  return result.changes === 1;
}

/** What the SLA job needs of an item it watches. */
export type SlaCandidate = {
  id: number;
  departmentId: string;
  severity: FeedbackItem['severity'];
  status: FeedbackItem['status'];
  slaStartedAt: number;
  slaPausedMs: number;
  /** Waiting on the customer: its clock is paused, nothing is due. */
  waiting: boolean;
};

/**
 * The watched items whose next escalation may be due at `now`, earliest first, at most `limit`: a range of the
 * partial index on `sla_next_at`, so only due rows are read however many items are open.
 */
export function listDueSlaItems(db: Db, now: number, limit: number): SlaCandidate[] {
  const rows = stmt(
    db,
    `SELECT id, department_id, severity, status, COALESCE(sla_started_at, created_at) AS sla_started_at,
         sla_paused_ms, waiting_since IS NOT NULL AS waiting FROM feedback_items WHERE sla_next_at IS NOT NULL AND sla_next_at <= ? ORDER BY sla_next_at LIMIT ?`,
  ).all(now, limit) as {
    id: number;
    department_id: string | null;
    severity: FeedbackItem['severity'];
    status: FeedbackItem['status'];
    sla_started_at: number;
    sla_paused_ms: number;
    waiting: number;
  }[];
  return rows.map((r) => ({
    id: r.id,
    departmentId: r.department_id ?? '',
    severity: r.severity,
    status: r.status,
    slaStartedAt: r.sla_started_at,
    slaPausedMs: r.sla_paused_ms,
    waiting: r.waiting === 1,
  }));
}

/** When the SLA job should look at the item again; undefined: not until it changes (or the SLA policy does). */
export function setSlaNextAt(db: Db, itemId: number, at: number | undefined): void {
  stmt(db, 'UPDATE feedback_items SET sla_next_at = ? WHERE id = ?').run(at ?? null, itemId);
}

/** Item ids marked per slice when a new SLA policy asks every open item for a fresh look. */
const MARK_SLICE_IDS = 5000;

/**
 * Makes the stored check times follow this SLA policy, one slice at a time: when the policy differs from the
 * recorded one, it is recorded with a cursor at the first item; each call then marks the open items of the next
 * `MARK_SLICE_IDS` ids (by primary key) for a look at `now`, and clears the cursor after the last item.
 * Returns true while items are still to be marked.
 */
export function adoptSlaPolicy(db: Db, fingerprint: string, now: number): boolean {
  const stored = stmt(db, 'SELECT fingerprint, marked_through FROM sla_policy WHERE id = 1').get() as
    | { fingerprint: string; marked_through: number | null }
    | undefined;
  let from = stored?.marked_through ?? undefined;
  if (stored?.fingerprint !== fingerprint) {
    from = 0;
    stmt(
      db,
      `INSERT INTO sla_policy (id, fingerprint, marked_through) VALUES (1, ?, 0)
       ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, marked_through = 0`,
    ).run(fingerprint);
  }
  if (from === undefined) return false;
  const to = from + MARK_SLICE_IDS;
  const last = (stmt(db, 'SELECT MAX(id) FROM feedback_items').pluck().get() as number | null) ?? 0;
  db.transaction(() => {
    // By id range (NOT INDEXED): without statistics SQLite otherwise read every open item for each slice.
    stmt(
      db,
      `UPDATE feedback_items NOT INDEXED SET sla_next_at = ?
       WHERE id > ? AND id <= ? AND status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})
         AND department_id IS NOT NULL`,
    ).run(now, from, to);
    stmt(db, 'UPDATE sla_policy SET marked_through = ? WHERE id = 1').run(to >= last ? null : to);
  })();
  return to < last;
}
