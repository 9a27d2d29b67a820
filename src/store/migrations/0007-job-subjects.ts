/**
 * When the app first knew each scheduled subject (a manager's digest, a team's reminder), for every job: a
 * scheduled time before that was never missed, so it is not caught up. Replaces the digest-only table.
 */
export const sql = `
CREATE TABLE job_subjects (
  job         TEXT    NOT NULL,
  subject     TEXT    NOT NULL,
  first_seen  INTEGER NOT NULL,
  PRIMARY KEY (job, subject)
) WITHOUT ROWID;

INSERT INTO job_subjects (job, subject, first_seen)
  SELECT 'manager-digest', user_id, first_seen FROM digest_managers;
DROP TABLE digest_managers;

-- A team that already had reminders was known from its first recorded run.
INSERT OR IGNORE INTO job_subjects (job, subject, first_seen)
  SELECT job, subject, MIN(created_at) FROM job_runs WHERE job = 'team-reminder' GROUP BY job, subject;
`;
