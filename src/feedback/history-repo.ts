import type { Db } from '../store/db.js';
import { fromNull } from '../store/rows.js';
import { stmt } from '../store/statements.js';
import type { FeedbackStatus } from './types.js';

/** The feedback_events table: every status change of an item, with who and when (its history). */

export type FeedbackEvent = {
  itemId: number;
  at: number;
  actorId: string;
  action: string;
  fromStatus: FeedbackStatus | undefined;
  toStatus: FeedbackStatus | undefined;
  note: string | undefined;
  fromDepartment?: string | undefined;
  toDepartment?: string | undefined;
};

export type StoredFeedbackEvent = FeedbackEvent & { id: number };

type FeedbackEventRow = {
  id: number;
  item_id: number;
  at: number;
  actor_id: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  note: string | null;
  from_department: string | null;
  to_department: string | null;
};

function rowToEvent(r: FeedbackEventRow): StoredFeedbackEvent {
  return {
    id: r.id,
    itemId: r.item_id,
    at: r.at,
    actorId: r.actor_id,
    action: r.action,
    fromStatus: fromNull(r.from_status) as FeedbackStatus | undefined,
    toStatus: fromNull(r.to_status) as FeedbackStatus | undefined,
    note: fromNull(r.note),
    fromDepartment: fromNull(r.from_department),
    toDepartment: fromNull(r.to_department),
  };
}

/**
 * Records one change in an item's history (after the item row changed); returns the event's id. The event keeps
 * whose it is: the department that owned the item when it happened (for a reassignment, the one it left), and
 * `held_since`, when that department got the item (the latest filing, reassignment or reopening before this
 * change), so per-team numbers (src/metrics/numbers.ts) read the history's index alone. `to_department` is
 * where the change brought the item: the department it was filed to (created) or reassigned to. A resolution
 * also keeps `handoffs`, how many times the item had been reassigned by then (handoffs per item).
 */
export function insertFeedbackEvent(db: Db, e: FeedbackEvent): number {
  const result = stmt(
    db,
    `INSERT INTO feedback_events (item_id, at, actor_id, action, from_status, to_status, note, from_department,
         to_department, department_id, item_created_at, held_since, handoffs)
       VALUES (@itemId, @at, @actorId, @action, @fromStatus, @toStatus, @note, @fromDepartment,
         CASE WHEN @action = 'created' THEN (SELECT department_id FROM feedback_items WHERE id = @itemId)
              ELSE @toDepartment END,
         CASE WHEN @action = 'reassign' THEN @fromDepartment
              ELSE (SELECT department_id FROM feedback_items WHERE id = @itemId) END,
         (SELECT created_at FROM feedback_items WHERE id = @itemId),
         COALESCE((SELECT MAX(at) FROM feedback_events WHERE item_id = @itemId AND to_status IN ('new', 'reopened')),
           @at),
         CASE WHEN @toStatus = 'resolved'
              THEN (SELECT COUNT(*) FROM feedback_events WHERE item_id = @itemId AND action = 'reassign') END)`,
  ).run({
    itemId: e.itemId,
    at: e.at,
    actorId: e.actorId,
    action: e.action,
    fromStatus: e.fromStatus ?? null,
    toStatus: e.toStatus ?? null,
    note: e.note ?? null,
    fromDepartment: e.fromDepartment ?? null,
    toDepartment: e.toDepartment ?? null,
  });
  return Number(result.lastInsertRowid);
}

export function listFeedbackEvents(db: Db, itemId: number): StoredFeedbackEvent[] {
  const rows = stmt(db, 'SELECT * FROM feedback_events WHERE item_id = ? ORDER BY at, id').all(
    itemId,
  ) as FeedbackEventRow[];
  return rows.map(rowToEvent);
}

export function getFeedbackEvent(db: Db, eventId: number): StoredFeedbackEvent | undefined {
  const row = stmt(db, 'SELECT * FROM feedback_events WHERE id = ?').get(eventId) as
    | FeedbackEventRow
    | undefined;
  return row ? rowToEvent(row) : undefined;
}

/** The latest event that put the item in `status` (who acknowledged it, who resolved it). */
export function lastEventInto(
  db: Db,
  itemId: number,
  status: FeedbackStatus,
): StoredFeedbackEvent | undefined {
  const row = stmt(
    db,
    'SELECT * FROM feedback_events WHERE item_id = ? AND to_status = ? ORDER BY at DESC, id DESC LIMIT 1',
  ).get(itemId, status) as FeedbackEventRow | undefined;
  return row ? rowToEvent(row) : undefined;
}

/** The latest change of one kind (e.g. the last reassignment) to an item. */
export function lastEventOfAction(db: Db, itemId: number, action: string): StoredFeedbackEvent | undefined {
  const row = stmt(
    db,
    'SELECT * FROM feedback_events WHERE item_id = ? AND action = ? ORDER BY at DESC, id DESC LIMIT 1',
  ).get(itemId, action) as FeedbackEventRow | undefined;
  return row ? rowToEvent(row) : undefined;
}
