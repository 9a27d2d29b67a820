import type { Db } from '../store/db.js';
import { occurrenceAtOrBefore } from './cron.js';
import { findRun } from './run-log.js';

/**
 * Which scheduled run is due, for every job that runs on a cron schedule per subject (a team's reminder, a
 * manager's digest). One policy: the latest scheduled time not yet recorded in the run log is due, unless it
 * came before the app first knew the subject (a first start is not a restart: nothing was missed); it is late
 * only beyond the catch-up window, and a tick that runs a moment after its minute is always on time.
 */

/** The minute tick fires a little after the minute it serves (and a busy process later still): that is on time. */
export const ON_TIME_MS = 2 * 60_000;

export type DueRun = {
  /** The scheduled instant. */
  due: number;
  /** How long after it `now` is. */
  lateBy: number;
  /** Later than the catch-up window allows (and than a tick's own delay): record it as skipped, do not send. */
  tooLate: boolean;
};

export type DueRunQuery = {
  job: string;
  subject: string;
  schedule: string;
  timezone: string;
  now: number;
  /** How late a run missed while the app was down may still be sent. */
  catchUpMs: number;
};

/** The run due at `now` that the run log has no record of yet, or undefined when there is none. */
export function findDueRun(db: Db, q: DueRunQuery): DueRun | undefined {
  const due = occurrenceAtOrBefore(q.schedule, q.timezone, q.now);
  if (due === undefined) return undefined;
  // Every minute's tick lands here: once this run is recorded (sent or skipped), there is nothing to do.
  if (findRun(db, q.job, q.subject, due)) return undefined;
  if (due < firstSeen(db, q.job, q.subject, q.now)) return undefined;
  const lateBy = q.now - due;
  return { due, lateBy, tooLate: lateBy > Math.max(q.catchUpMs, ON_TIME_MS) };
}

/** When the app first knew this job's subject (recorded the first time it is asked). */
export function firstSeen(db: Db, job: string, subject: string, now: number): number {
  const known = db
    .prepare('SELECT first_seen FROM job_subjects WHERE job = ? AND subject = ?')
    .pluck()
    .get(job, subject);
  if (typeof known === 'number') return known;
  db.prepare('INSERT OR IGNORE INTO job_subjects (job, subject, first_seen) VALUES (?, ?, ?)').run(
    job,
    subject,
    now,
  );
  return now;
}
