/**
 * Customer details can be removed (after `retention.customer_details_days`, or on a customer's request) while
 * every count stays: the item rows, their history, routing and escalations remain; only the customer's name,
 * how they reached us, and their words (summary, details, the similarity word set) are blanked.
 * `customer_erasures` records each removal (who asked, when, how many items), never the customer's name.
 */
export const sql = `
ALTER TABLE feedback_items ADD COLUMN customer_details_removed_at INTEGER;
CREATE INDEX feedback_items_details_kept ON feedback_items (created_at) WHERE customer_details_removed_at IS NULL;

ALTER TABLE customers ADD COLUMN removed_at INTEGER;

CREATE TABLE customer_erasures (
  id            INTEGER PRIMARY KEY,
  at            INTEGER NOT NULL,
  reason        TEXT    NOT NULL CHECK (reason IN ('retention', 'request')),
  requested_by  TEXT    NOT NULL,
  items         INTEGER NOT NULL,
  customers     INTEGER NOT NULL,
  older_than    INTEGER
);
`;
