/**
 * One definition of each team number (src/metrics/numbers.ts). Every history row says whose it is and since when:
 * `department_id` is the department that owned the item when the change happened (for a reassignment, the one
 * it left) and `held_since` is when that department got the item (filed or reassigned to it, or reopened), so a
 * team's time to acknowledge or resolve runs from its own turn, never from another team's.
 *
 * Rows written before this migration are set again from the history itself: earlier a change made before a
 * reassignment was credited to the department the item was in at migration time.
 *
 * Indexes: the team numbers (received, resolved, times) read covering indexes of the history; the digest's
 * cache of closed weeks asks "was anything in this week withdrawn, or a breach recorded, since I counted it?"
 * from two small partial indexes.
 */
export const sql = `
ALTER TABLE feedback_events ADD COLUMN held_since INTEGER;

UPDATE feedback_events SET department_id = CASE
  WHEN action = 'reassign' THEN from_department
  ELSE COALESCE(
    (SELECT r.to_department FROM feedback_events r
     WHERE r.item_id = feedback_events.item_id AND r.action = 'reassign'
       AND (r.at < feedback_events.at OR (r.at = feedback_events.at AND r.id < feedback_events.id))
     ORDER BY r.at DESC, r.id DESC LIMIT 1),
    (SELECT g.department_id FROM feedback_routing g WHERE g.item_id = feedback_events.item_id
     ORDER BY g.decided_at, g.id LIMIT 1))
  END;

-- Where each arrival brought the item: a filing to its department, as a reassignment to its new one.
UPDATE feedback_events SET to_department = department_id WHERE action = 'created';

UPDATE feedback_events SET held_since = COALESCE(
  (SELECT MAX(s.at) FROM feedback_events s
   WHERE s.item_id = feedback_events.item_id AND s.to_status IN ('new', 'reopened')
     AND (s.at < feedback_events.at OR (s.at = feedback_events.at AND s.id < feedback_events.id))),
  feedback_events.at);

-- Department before time: one team's week (a reminder, /strategy) is a narrow range; a digest's departments are
-- one range each. Arrivals (filed or reassigned to a department) are found by the receiving department.
DROP INDEX feedback_events_status_at;
CREATE INDEX feedback_events_numbers ON feedback_events (to_status, department_id, at, item_id, held_since);
CREATE INDEX feedback_events_arrivals ON feedback_events (to_status, to_department, at, item_id);

CREATE INDEX kudos_ledger_revoked ON kudos_ledger (revoked_at, created_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX feedback_escalations_recorded ON feedback_escalations (sent_at, due_at) WHERE level = 'leads';
`;
