/** Scheduled runs (team reminders now, manager digests later): one row per job, subject and scheduled instant. */
export const sql = `
CREATE TABLE job_runs (
  id             INTEGER PRIMARY KEY,
  job            TEXT    NOT NULL,
  subject        TEXT    NOT NULL,
  scheduled_for  INTEGER NOT NULL,
  period_start   INTEGER NOT NULL,
  period_end     INTEGER NOT NULL,
  status         TEXT    NOT NULL CHECK (status IN ('queued', 'skipped', 'failed')),
  reason         TEXT,
  created_at     INTEGER NOT NULL,
  UNIQUE (job, subject, scheduled_for)
);
`;
