/**
 * The feedback lifecycle: a version per item (optimistic concurrency for buttons), resolution fields,
 * the SLA clock's start, escalations sent once, links between similar reports, at-risk customers.
 * A row in feedback_escalations with level 'leads' is one SLA breach (item, SLA cycle, acknowledge or
 * resolve deadline missed), counted for the department that owned the item when it was missed.
 * Status values after this migration: new, acknowledged, resolved, reopened.
 */
export const sql = `
ALTER TABLE feedback_items ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE feedback_items ADD COLUMN sla_started_at INTEGER;
ALTER TABLE feedback_items ADD COLUMN acknowledged_at INTEGER;
ALTER TABLE feedback_items ADD COLUMN resolved_at INTEGER;
ALTER TABLE feedback_items ADD COLUMN resolution_note TEXT;
ALTER TABLE feedback_items ADD COLUMN customer_contacted INTEGER;
ALTER TABLE feedback_items ADD COLUMN similar_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feedback_items ADD COLUMN customer_at_risk INTEGER NOT NULL DEFAULT 0;
UPDATE feedback_items SET sla_started_at = created_at WHERE sla_started_at IS NULL;
UPDATE feedback_items SET acknowledged_at =
  (SELECT MIN(e.at) FROM feedback_events e WHERE e.item_id = feedback_items.id AND e.to_status = 'acknowledged')
  WHERE status IN ('acknowledged', 'resolved');
UPDATE feedback_items SET resolved_at =
  (SELECT MAX(e.at) FROM feedback_events e WHERE e.item_id = feedback_items.id AND e.to_status = 'resolved')
  WHERE status = 'resolved';

ALTER TABLE feedback_events ADD COLUMN from_department TEXT;
ALTER TABLE feedback_events ADD COLUMN to_department TEXT;

ALTER TABLE customers ADD COLUMN at_risk_since INTEGER;
ALTER TABLE customers ADD COLUMN at_risk_complaints INTEGER NOT NULL DEFAULT 0;

CREATE TABLE feedback_escalations (
  id          INTEGER PRIMARY KEY,
  item_id     INTEGER NOT NULL REFERENCES feedback_items (id),
  department_id TEXT  NOT NULL,
  escalation_key TEXT NOT NULL UNIQUE,
  kind        TEXT    NOT NULL CHECK (kind IN ('acknowledge', 'resolve')),
  level       TEXT    NOT NULL CHECK (level IN ('leads', 'triage')),
  due_at      INTEGER NOT NULL,
  sent_at     INTEGER NOT NULL
);
CREATE INDEX feedback_escalations_item ON feedback_escalations (item_id);
CREATE INDEX feedback_escalations_department_due ON feedback_escalations (department_id, level, due_at);

CREATE TABLE feedback_similar (
  item_id          INTEGER NOT NULL REFERENCES feedback_items (id),
  similar_item_id  INTEGER NOT NULL REFERENCES feedback_items (id),
  reason           TEXT    NOT NULL CHECK (reason IN ('customer', 'text')),
  score            REAL    NOT NULL,
  PRIMARY KEY (item_id, similar_item_id)
);

-- Similar reports: each item's meaningful words (see src/feedback/similarity.ts), space-separated, written
-- once at filing, so a new report is compared with recent ones without re-reading their whole text.
ALTER TABLE feedback_items ADD COLUMN similarity_words TEXT NOT NULL DEFAULT '';
-- Covers the lookup of the latest items' words, so it never reads the (possibly long) item rows; it also
-- serves any (team_id, created_at) range.
CREATE INDEX feedback_items_similarity ON feedback_items (team_id, created_at, customer_id, similarity_words);

CREATE INDEX feedback_items_open_sla ON feedback_items (status, sla_started_at);
`;
