import type { Logger } from 'pino';
import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';
import { occurrenceAtOrBefore, occurrenceBefore } from './cron.js';
import { claimRun, findRun } from './run-log.js';

/**
 * The one scheduled-run policy, for every job that runs on a cron schedule per subject (a team's reminder, a
 * manager's digest). At each tick, for each subject:
 * - the latest scheduled time not yet in the run log is due (a time that happens twice when the clocks go back
 *   is one run; see cron.ts);
 * - a time before the app first knew the subject is not due: a first install or a schedule added later was not
 *   "missed", so nothing is sent, recorded or logged for it;
 * - a run later than the catch-up window (and than a tick's own delay) is recorded as skipped, with a warning;
 * - otherwise the run is claimed in the run log and its work queued in the same transaction, so it is never lost
 *   nor sent twice, across restarts and catch-ups.
 *
 * A third schedule costs a few lines: describe it as a `ScheduledJob` in its feature, and return
 * `queuingTask(core, name, (now) => runDueJobs({ db, logger }, job, now))` among the tasks of the room's
 * `feature.ts` (ARCHITECTURE.md, "A scheduled job"). For example:
 *
 *     const kudosReport: ScheduledJob<Department> = {
 *       job: 'kudos-report',
 *       noun: 'kudos report',
 *       subjects: () => config().departments.map((d) =>
 *         ({ id: d.id, schedule: '0 16 * * 5', timezone: d.timezone, subject: d })),
 *       catchUp: () => ({ amount: 60, unit: 'min' }),
 *       plan: (d, due, previous) => ({ period: { start: previous ?? due - WEEK, end: due } }),
 *       queue: (runId, d, now) =>
 *         enqueueOutbox(db, { kind: 'kudos.report', payload: { runId }, dedupeKey: `kudos-report:${runId}` }, now),
 *     };
 *
 * The outbox handler reads the run (`getRun`) for its period and marks it failed (`markRunFailed`) if Slack
 * refuses it for good.
 */

/** The minute tick fires a little after the minute it serves (and a busy process later still): that is on time. */
const ON_TIME_MS = 2 * 60_000;

type Span = { start: number; end: number };

type ScheduledSubject<S> = { id: string; schedule: string; timezone: string; subject: S };

/** What a due run does: cover a period (or record why it is skipped), or nothing when its interval had one. */
type RunPlan = { period: Span; skip?: string } | 'already-sent';

type CatchUpWindow = { amount: number; unit: 'min' | 'h' };

export type ScheduledJob<S> = {
  /** The run log's name for it. */
  job: string;
  /** How a log line names one run ("reminder", "manager digest"). */
  noun: string;
  /** Every subject that has a schedule now (read at each tick, so a config reload reschedules). */
  subjects(): ScheduledSubject<S>[];
  /** How late a run missed while the app was down may still be sent. */
  catchUp(): CatchUpWindow;
  /** What the run due at `due` covers; `previous` is the scheduled time before it. */
  plan(subject: S, due: number, previous: number | undefined): RunPlan;
  /** Queue the run's work (in the transaction that claims it). */
  queue(runId: number, subject: S, now: number): void;
};

export type TickResult = { queued: string[]; skipped: string[] };

const UNIT_MS = { min: 60_000, h: 3_600_000 } as const;

/** Claim and queue (or record as skipped) every run that is due at `now`. */
export function runDueJobs<S>(
  deps: { db: Db; logger: Logger },
  job: ScheduledJob<S>,
  now: number,
): TickResult {
  const log = deps.logger.child({ module: 'jobs', job: job.job });
  const window = job.catchUp();
  const result: TickResult = { queued: [], skipped: [] };
  for (const s of job.subjects()) {
    const run = findDueRun(deps.db, { ...s, job: job.job, subject: s.id, now, catchUpMs: msOf(window) });
    if (!run) continue;
    const plan = job.plan(s.subject, run.due, occurrenceBefore(s.schedule, s.timezone, run.due));
    if (plan === 'already-sent') continue;
    const late = run.tooLate
      ? `missed by ${Math.round(run.lateBy / UNIT_MS[window.unit])} ${window.unit}, outside the ${window.amount} ${window.unit} catch-up window`
      : undefined;
    const skip = late ?? plan.skip;
    const runId = claimScheduledRun(
      deps.db,
      job,
      s,
      run.due,
      { period: plan.period, ...(skip ? { skip } : {}) },
      now,
    );
    if (runId === undefined) continue;
    const fields = { subject: s.id, scheduledFor: new Date(run.due).toISOString() };
    if (skip) {
      result.skipped.push(s.id);
      log.warn(
        { ...fields, reason: skip },
        late
          ? `${job.noun} missed while the app was down; outside the catch-up window, so skipped`
          : `${job.noun} skipped`,
      );
    } else {
      result.queued.push(s.id);
      log.info({ ...fields, late: run.lateBy > 60_000 }, `${job.noun} queued`);
    }
  }
  return result;
}

/**
 * Record the run (queued, or skipped with its reason) and queue its work in one transaction: a claimed run is
 * never lost nor sent twice. Undefined when this subject already has a run at that time.
 */
export function claimScheduledRun<S>(
  db: Db,
  job: Pick<ScheduledJob<S>, 'job' | 'queue'>,
  s: Pick<ScheduledSubject<S>, 'id' | 'subject'>,
  scheduledFor: number,
  plan: { period: Span; skip?: string },
  now: number,
): number | undefined {
  return db.transaction(() => {
    const runId = claimRun(
      db,
      {
        job: job.job,
        subject: s.id,
        scheduledFor,
        periodStart: plan.period.start,
        periodEnd: plan.period.end,
        status: plan.skip ? 'skipped' : 'queued',
        reason: plan.skip,
      },
      now,
    );
    if (runId !== undefined && !plan.skip) job.queue(runId, s.subject, now);
    return runId;
  })();
}

function msOf(window: CatchUpWindow): number {
  return window.amount * UNIT_MS[window.unit];
}

type DueRun = {
  /** The scheduled instant. */
  due: number;
  /** How long after it `now` is. */
  lateBy: number;
  /** Later than the catch-up window allows (and than a tick's own delay): record it as skipped, do not send. */
  tooLate: boolean;
};

type DueRunQuery = {
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
function firstSeen(db: Db, job: string, subject: string, now: number): number {
  const known = stmt(db, 'SELECT first_seen FROM job_subjects WHERE job = ? AND subject = ?')
    .pluck()
    .get(job, subject);
  if (typeof known === 'number') return known;
  stmt(db, 'INSERT OR IGNORE INTO job_subjects (job, subject, first_seen) VALUES (?, ?, ?)').run(
    job,
    subject,
    now,
  );
  return now;
}
