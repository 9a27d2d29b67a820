import type { Db } from '../store/db.js';
import { fromNull } from '../store/rows.js';
import { stmt } from '../store/statements.js';

/**
 * An item's outcome columns (migration 0016): the reporter's answer to "did you tell the customer?" and the SLA
 * pause while the department waits on the customer. Kept apart from the item row's mapper so the lifecycle reads
 * stay as they are.
 */

export type ContactAnswer = 'told' | 'unreachable';

export type OutcomeState = {
  contactAnswer: ContactAnswer | undefined;
  contactAnsweredBy: string | undefined;
  contactAnsweredAt: number | undefined;
  /** While the department waits on the customer: since when (the SLA clock is paused). */
  waitingSince: number | undefined;
  /** How long the current SLA cycle was paused before now. */
  slaPausedMs: number;
};

type OutcomeStateRow = {
  contact_answer: ContactAnswer | null;
  contact_answered_by: string | null;
  contact_answered_at: number | null;
  waiting_since: number | null;
  sla_paused_ms: number;
};

const NONE: OutcomeState = {
  contactAnswer: undefined,
  contactAnsweredBy: undefined,
  contactAnsweredAt: undefined,
  waitingSince: undefined,
  slaPausedMs: 0,
};

export function getOutcomeState(db: Db, itemId: number): OutcomeState {
  const row = stmt(
    db,
    `SELECT contact_answer, contact_answered_by, contact_answered_at, waiting_since, sla_paused_ms
       FROM feedback_items WHERE id = ?`,
  ).get(itemId) as OutcomeStateRow | undefined;
  if (!row) return NONE;
  return {
    contactAnswer: fromNull(row.contact_answer),
    contactAnsweredBy: fromNull(row.contact_answered_by),
    contactAnsweredAt: fromNull(row.contact_answered_at),
    waitingSince: fromNull(row.waiting_since),
    slaPausedMs: row.sla_paused_ms,
  };
}

/**
 * Records the reporter's answer for the resolution at `resolvedAt`; false when the item is no longer resolved
 * at that time (reopened since) or this answer is already the recorded one (a double click).
 */
export function setContactAnswer(
  db: Db,
  a: { itemId: number; resolvedAt: number; answer: ContactAnswer; by: string; at: number },
): boolean {
  const result = stmt(
    db,
    `UPDATE feedback_items SET contact_answer = ?, contact_answered_by = ?, contact_answered_at = ?
       WHERE id = ? AND status = 'resolved' AND resolved_at = ? AND contact_answer IS NOT ?`,
  ).run(a.answer, a.by, a.at, a.itemId, a.resolvedAt, a.answer);
  return result.changes === 1;
}

/** A new resolution starts without an answer unless the resolver says they told the customer. */
function resetContactAnswer(db: Db, itemId: number, toldBy: string | undefined, at: number): void {
  stmt(
    db,
    `UPDATE feedback_items SET contact_answer = ?, contact_answered_by = ?, contact_answered_at = ?,
         waiting_since = NULL WHERE id = ?`,
  ).run(toldBy ? 'told' : null, toldBy ?? null, toldBy ? at : null, itemId);
}

/**
 * Pauses the SLA clock of an open item at `version` (bumping it, so older buttons are stale): no escalation is
 * looked for until it resumes. False when the item changed meanwhile or is already waiting.
 */
export function startWaiting(db: Db, itemId: number, version: number, now: number): boolean {
  const result = stmt(
    db,
    `UPDATE feedback_items SET waiting_since = ?, sla_next_at = NULL, version = version + 1, updated_at = ?
       WHERE id = ? AND version = ? AND status <> 'resolved' AND waiting_since IS NULL`,
  ).run(now, now, itemId, version);
  return result.changes === 1;
}

/**
 * Starts the SLA clock again: the pause is added to the cycle's paused time (deadlines move by it) and the SLA job
 * looks at the item at its next tick. False when it was not waiting.
 */
export function stopWaiting(db: Db, itemId: number, now: number): boolean {
  const result = stmt(
    db,
    `UPDATE feedback_items SET sla_paused_ms = sla_paused_ms + MAX(0, ? - waiting_since), waiting_since = NULL,
         sla_next_at = CASE WHEN department_id IS NULL THEN NULL ELSE ? END, version = version + 1, updated_at = ?
       WHERE id = ? AND waiting_since IS NOT NULL`,
  ).run(now, now, now, itemId);
  return result.changes === 1;
}

/**
 * What a lifecycle change does to the outcome columns, in its transaction: a resolution starts without a contact
 * answer (unless the resolver ticked that the customer was contacted: then they told them) and ends any wait; a
 * reassignment or reopening starts a new SLA cycle, unpaused.
 */
export function applyOutcomeReset(
  db: Db,
  change: { itemId: number; action: string; actorId: string; customerContacted: boolean; now: number },
): void {
  if (change.action === 'resolve') {
    resetContactAnswer(db, change.itemId, change.customerContacted ? change.actorId : undefined, change.now);
  } else if (change.action === 'reassign' || change.action === 'reopen') {
    stmt(db, 'UPDATE feedback_items SET waiting_since = NULL, sla_paused_ms = 0 WHERE id = ?').run(
      change.itemId,
    );
  }
}
