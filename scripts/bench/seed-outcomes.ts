/**
 * The outcome side of the seeded year (issue 18): 20,000 customers named on complaints and questions, the
 * reporter's "told the customer" answer on their resolutions, and a follow-up outcome (kept, came back, lost with a
 * reason, unknown) 30 to 40 days after each resolved complaint, so the outcome numbers of /strategy, reminders and
 * digests are measured over a year of rows. Set-based SQL, deterministic by item id (complaints are every fourth item, so outcomes vary with id / 4).
 */
import type { Db } from '../../src/store/db.js';

const DAY = 86_400_000;
const CUSTOMERS = 20_000;

export function seedOutcomes(db: Db, end: number): void {
  db.transaction(() => {
    db.prepare(
      `WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ?)
       INSERT INTO customers (id, team_id, identifier, identifier_key, created_at)
       SELECT x, 'T1', 'customer ' || x, 'customer ' || x, 0 FROM n`,
    ).run(CUSTOMERS);
    db.prepare(
      `UPDATE feedback_items SET customer_id = (id % ?) + 1 WHERE kind IN ('complaint', 'question')`,
    ).run(CUSTOMERS);
    db.prepare(
      `UPDATE feedback_items SET contact_answer = CASE WHEN id % 5 < 3 THEN 'told' WHEN id % 5 = 3 THEN 'unreachable' END,
         contact_answered_at = CASE WHEN id % 5 < 4 THEN resolved_at + 3600000 END
       WHERE status = 'resolved' AND customer_id IS NOT NULL`,
    ).run();
    db.prepare(
      `INSERT INTO customer_follow_ups (item_id, resolved_at, customer_id, department_id, reporter_id, created_at,
         asked_at, outcome, reason, recorded_by, recorded_at)
       SELECT id, resolved_at, customer_id, department_id, reporter_id, resolved_at + 30 * @day, resolved_at + 30 * @day,
         CASE (id / 4) % 8 WHEN 0 THEN 'lost' WHEN 1 THEN 'unknown' WHEN 2 THEN 'came_back' ELSE 'kept' END,
         CASE WHEN (id / 4) % 8 = 0 THEN json_extract('["price","quality","service","competitor","other"]', '$[' || (id % 5) || ']') END,
         CASE WHEN (id / 4) % 8 = 1 THEN NULL ELSE reporter_id END,
         resolved_at + (30 + id % 10) * @day
       FROM feedback_items
       WHERE status = 'resolved' AND kind = 'complaint' AND customer_id IS NOT NULL
         AND resolved_at + 40 * @day < @end
       ORDER BY resolved_at`,
    ).run({ day: DAY, end });
  })();
}
