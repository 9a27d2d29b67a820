/**
 * Outcomes (issue 18): did the reporter tell the customer, was the customer kept, and the SLA pause while the
 * department waits on the customer.
 *
 * - `feedback_items.contact_answer` is the reporter's answer to the resolved DM ('told' or 'unreachable'), with who
 *   and when; it is the source of the contacted rate. Items resolved before this migration keep the resolve form's
 *   `customer_contacted` flag as their answer (copied here once, with no one named), so the rate reads one column.
 *   The covering partial index holds resolved items that had a customer: the rate reads it alone.
 * - `waiting_since` is set while the department waits on the customer (the SLA clock is paused, `sla_next_at` is
 *   NULL); `sla_paused_ms` is how long the current SLA cycle was paused so far: deadlines move by it, while the
 *   escalation keys (item, cycle start) stay, so an escalation already sent is never sent again.
 * - `customer_follow_ups`: one row per follow-up of a resolved item (item and the resolution it follows up), the
 *   department that handled it, when it was asked, reminded and answered, and the outcome: 'kept' (still a
 *   customer), 'came_back' (came back with the same problem; still a customer), 'lost' (with a reason and an
 *   optional note) or 'unknown' (no answer after the reminder). `next_at` is when the follow-up job must look at
 *   it again (NULL when done), over a partial index. `follow_up_scan` keeps how far resolutions were scanned.
 */
export const sql = `
ALTER TABLE feedback_items ADD COLUMN contact_answer TEXT CHECK (contact_answer IN ('told', 'unreachable'));
ALTER TABLE feedback_items ADD COLUMN contact_answered_by TEXT;
ALTER TABLE feedback_items ADD COLUMN contact_answered_at INTEGER;
ALTER TABLE feedback_items ADD COLUMN waiting_since INTEGER;
ALTER TABLE feedback_items ADD COLUMN sla_paused_ms INTEGER NOT NULL DEFAULT 0;

UPDATE feedback_items SET contact_answer = 'told', contact_answered_at = resolved_at
  WHERE status = 'resolved' AND customer_contacted = 1;

CREATE INDEX feedback_items_contacted ON feedback_items (department_id, resolved_at, contact_answer, status, customer_id)
  WHERE status = 'resolved' AND customer_id IS NOT NULL;
CREATE INDEX feedback_items_follow_up ON feedback_items (resolved_at, id)
  WHERE status = 'resolved' AND customer_id IS NOT NULL;

CREATE TABLE customer_follow_ups (
  id             INTEGER PRIMARY KEY,
  item_id        INTEGER NOT NULL REFERENCES feedback_items (id),
  resolved_at    INTEGER NOT NULL,
  customer_id    INTEGER NOT NULL REFERENCES customers (id),
  department_id  TEXT,
  reporter_id    TEXT    NOT NULL,
  created_at     INTEGER NOT NULL,
  asked_at       INTEGER,
  reminded_at    INTEGER,
  next_at        INTEGER,
  outcome        TEXT    CHECK (outcome IN ('kept', 'came_back', 'lost', 'unknown')),
  reason         TEXT,
  note           TEXT,
  recorded_by    TEXT,
  recorded_at    INTEGER,
  linked_item_id INTEGER REFERENCES feedback_items (id),
  UNIQUE (item_id, resolved_at)
);
CREATE INDEX customer_follow_ups_next ON customer_follow_ups (next_at) WHERE next_at IS NOT NULL;
CREATE INDEX customer_follow_ups_outcomes ON customer_follow_ups (department_id, recorded_at, outcome, reason)
  WHERE outcome IS NOT NULL;
CREATE INDEX customer_follow_ups_lost ON customer_follow_ups (customer_id) WHERE outcome = 'lost';

CREATE TABLE follow_up_scan (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  resolved_through INTEGER NOT NULL
);
`;
