import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';

/** The feedback_escalations table: one row per escalation sent (unique per item, SLA cycle, kind and level). */

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
