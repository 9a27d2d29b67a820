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

CREATE TABLE digest_sends (
  run_id          INTEGER PRIMARY KEY REFERENCES job_runs (id),
  dm_channel_id   TEXT,
  chart_file_id   TEXT,
  chart_problem   TEXT,
  message_ts      TEXT,
  updated_at      INTEGER NOT NULL
);

CREATE INDEX feedback_items_department_resolved ON feedback_items (department_id, resolved_at)
  WHERE resolved_at IS NOT NULL;
CREATE INDEX feedback_items_department_acknowledged ON feedback_items (department_id, acknowledged_at)
  WHERE acknowledged_at IS NOT NULL;
CREATE INDEX feedback_items_department_open ON feedback_items (department_id, created_at)
  WHERE status <> 'resolved';
CREATE INDEX feedback_escalations_due ON feedback_escalations (due_at);
`;
