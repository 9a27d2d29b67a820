import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';

/**
 * The durable record of scheduled runs: one row per job, subject (a department, a manager) and scheduled
 * instant. Claiming a run is an insert on that unique key, in the same transaction as the work it queues,
 * so a restart, a second tick or a catch-up can never send a run twice.
 */

export type RunStatus = 'queued' | 'skipped' | 'failed';

export type JobRun = {
  id: number;
  job: string;
  subject: string;
  scheduledFor: number;
  periodStart: number;
  periodEnd: number;
  status: RunStatus;
  reason: string | undefined;
  createdAt: number;
};

type JobRunRow = {
  id: number;
  job: string;
  subject: string;
  scheduled_for: number;
  period_start: number;
  period_end: number;
  status: RunStatus;
  reason: string | null;
  created_at: number;
};

function rowToRun(row: JobRunRow): JobRun {
  return {
    id: row.id,
    job: row.job,
    subject: row.subject,
    scheduledFor: row.scheduled_for,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    status: row.status,
    reason: row.reason ?? undefined,
    createdAt: row.created_at,
  };
}

export type NewRun = Omit<JobRun, 'id' | 'createdAt'>;

/** Insert the run if this (job, subject, scheduled instant) has none yet; returns its id, or undefined if taken. */
export function claimRun(db: Db, run: NewRun, now: number): number | undefined {
  const result = stmt(
    db,
    `INSERT INTO job_runs (job, subject, scheduled_for, period_start, period_end, status, reason, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job, subject, scheduled_for) DO NOTHING`,
  ).run(
    run.job,
    run.subject,
    run.scheduledFor,
    run.periodStart,
    run.periodEnd,
    run.status,
    run.reason ?? null,
    now,
  );
  return result.changes === 1 ? Number(result.lastInsertRowid) : undefined;
}

export function findRun(db: Db, job: string, subject: string, scheduledFor: number): JobRun | undefined {
  const row = stmt(db, 'SELECT * FROM job_runs WHERE job = ? AND subject = ? AND scheduled_for = ?').get(
    job,
    subject,
    scheduledFor,
  ) as JobRunRow | undefined;
  return row ? rowToRun(row) : undefined;
}

/** The most recent run that was sent (queued), for the start of the next period. */
export function lastQueuedRun(db: Db, job: string, subject: string): JobRun | undefined {
  const row = stmt(
    db,
    `SELECT * FROM job_runs WHERE job = ? AND subject = ? AND status = 'queued' ORDER BY period_end DESC LIMIT 1`,
  ).get(job, subject) as JobRunRow | undefined;
  return row ? rowToRun(row) : undefined;
}

export function getRun(db: Db, id: number): JobRun | undefined {
  const row = stmt(db, 'SELECT * FROM job_runs WHERE id = ?').get(id) as JobRunRow | undefined;
  return row ? rowToRun(row) : undefined;
}

export function markRunFailed(db: Db, id: number, reason: string): void {
  stmt(db, `UPDATE job_runs SET status = 'failed', reason = ? WHERE id = ?`).run(reason, id);
}

export function listRuns(db: Db, job: string, subject?: string): JobRun[] {
  const rows = (
    subject === undefined
      ? stmt(db, 'SELECT * FROM job_runs WHERE job = ? ORDER BY scheduled_for, id').all(job)
      : stmt(db, 'SELECT * FROM job_runs WHERE job = ? AND subject = ? ORDER BY scheduled_for, id').all(
          job,
          subject,
        )
  ) as JobRunRow[];
  return rows.map(rowToRun);
}
