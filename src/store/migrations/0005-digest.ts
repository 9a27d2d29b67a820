/**
 * Manager digests: when each manager was first seen, what each digest run has done so far (so a retry never uploads the chart or posts twice),
 * and indexes that keep a week's numbers to index range scans over millions of items and kudos.
 */
export const sql = `
-- When the app first saw each manager: weeks before that were never missed, so they are not caught up.
CREATE TABLE digest_managers (
  user_id     TEXT    PRIMARY KEY,
  first_seen  INTEGER NOT NULL
);

-- A kudos given for a reply in a thread posts (with visibility: thread) under the thread's parent.
ALTER TABLE kudos ADD COLUMN source_thread_ts TEXT;

CREATE TABLE digest_sends (
  run_id          INTEGER PRIMARY KEY REFERENCES job_runs (id),
  dm_channel_id   TEXT,
  chart_file_id   TEXT,
  chart_problem   TEXT,
  message_ts      TEXT,
  updated_at      INTEGER NOT NULL
);

-- Covering indexes: a week's numbers are read from the index alone, never from the table rows.
CREATE INDEX feedback_items_department_created_mix ON feedback_items (department_id, created_at, kind, severity);
CREATE INDEX feedback_items_department_resolved ON feedback_items (department_id, resolved_at, created_at)
  WHERE resolved_at IS NOT NULL;
CREATE INDEX feedback_items_department_open ON feedback_items (department_id, created_at)
  WHERE status <> 'resolved';
-- The department that owned the item when each change happened, and when the item was received, so a team's
-- week (resolved count, times to acknowledge and resolve) is an index range scan of the history, without
-- looking up items (and a reassigned item's past stays with the team that handled it).
ALTER TABLE feedback_events ADD COLUMN department_id TEXT;
ALTER TABLE feedback_events ADD COLUMN item_created_at INTEGER;
UPDATE feedback_events SET
  department_id = COALESCE(from_department,
    (SELECT f.department_id FROM feedback_items f WHERE f.id = feedback_events.item_id)),
  item_created_at = (SELECT f.created_at FROM feedback_items f WHERE f.id = feedback_events.item_id);
CREATE INDEX feedback_events_status_at ON feedback_events (to_status, at, department_id, item_id, item_created_at);
CREATE INDEX kudos_ledger_created_departments ON kudos_ledger
  (created_at, recipient_departments, giver_departments, cross_department, value_ids)
  WHERE revoked_at IS NULL;
`;
