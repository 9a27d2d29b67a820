import type { ServiceDeps } from '../app-core.js';
import type { OrgConfig } from '../config/org-schema.js';
import { getFeedbackItem } from '../feedback/repo.js';
import { runDueJobs, type ScheduledJob, type TickResult } from '../jobs/scheduled-runs.js';
import { enqueueOutbox } from '../slack/delivery/outbox-repo.js';
import type { Db } from '../store/db.js';
import {
  createDueFollowUps,
  dropFollowUp,
  type FollowUp,
  getScanMark,
  hasFollowUpWork,
  listDueFollowUps,
  markFollowUpStep,
  recordOutcome,
  setScanMark,
} from './follow-up-repo.js';

/**
 * The follow-up job, on the scheduled-run policy (jobs/scheduled-runs.ts: one run per scheduled time, recorded,
 * caught up after a restart, never twice), at `feedback.follow_up.schedule` in the company's time zone. Each run,
 * in the transaction that claims it:
 * 1. creates a follow-up for every item resolved `after_days` ago or more since the last scan (the first run
 *    looks a week further back), that is worth following (a range of the partial index over resolutions), due now;
 * 2. takes the next step of every follow-up due (the partial index over `next_at`): ask the reporter (queue the
 *    DM), remind them once `reminder_days` later, or record the outcome as unknown `reminder_days` after that; a
 *    follow-up whose item was reopened since is dropped. DMs go through the outbox with a key per follow-up and
 *    step, so each is sent once.
 */

export const FOLLOW_UP_JOB = 'customer-follow-up';
const DAY = 86_400_000;
/** A step due "in 7 days" is taken at the run 7 days later, though that run starts a little earlier in the minute. */
const SLACK_MS = 3_600_000;
const SLICE = 500;

/** The first run also looks this far back, so resolutions just before the app knew follow-ups are not skipped. */
const FIRST_LOOK_BACK = 7 * DAY;

/** The resolutions a run at `now` scans: since the last scan (or a week back, the first time), old enough now. */
function scanRange(db: Db, config: OrgConfig, now: number): { after: number; through: number } {
  const through = now - config.feedback.follow_up.after_days * DAY;
  return { after: getScanMark(db) ?? through - FIRST_LOOK_BACK, through };
}

/** Step 1: new follow-ups for the resolutions that became old enough since the last run. */
function scanResolutions(db: Db, config: OrgConfig, now: number): void {
  const { after: mark, through } = scanRange(db, config, now);
  let after = { at: mark, id: Number.MAX_SAFE_INTEGER };
  for (;;) {
    const slice = createDueFollowUps(db, { after, through }, now, SLICE);
    if (!slice.last || slice.read < SLICE) break;
    after = slice.last;
  }
  setScanMark(db, Math.max(mark, through));
}

function queueDm(db: Db, f: FollowUp, step: 'ask' | 'remind', now: number): void {
  enqueueOutbox(
    db,
    {
      kind: 'outcomes.follow_up_dm',
      payload: { followUpId: f.id, step },
      dedupeKey: `outcomes:follow-up:${f.id}:${step}`,
      orderingKey: f.reporterId,
    },
    now,
  );
}

/** Step 2: the next step of one due follow-up. */
function takeStep(db: Db, config: OrgConfig, f: FollowUp, now: number): void {
  const item = getFeedbackItem(db, f.itemId);
  if (item?.status !== 'resolved' || item.resolvedAt !== f.resolvedAt) {
    dropFollowUp(db, f.id);
    return;
  }
  const next = now + config.feedback.follow_up.reminder_days * DAY - SLACK_MS;
  if (f.askedAt === undefined) {
    queueDm(db, f, 'ask', now);
    markFollowUpStep(db, f.id, 'asked', now, next);
  } else if (f.remindedAt === undefined) {
    queueDm(db, f, 'remind', now);
    markFollowUpStep(db, f.id, 'reminded', now, next);
  } else {
    recordOutcome(db, { id: f.id, outcome: 'unknown', by: undefined, at: now });
  }
}

/** One run's work: scan, then every due step, in slices of the index. */
export function runFollowUps(db: Db, config: OrgConfig, now: number): void {
  scanResolutions(db, config, now);
  for (;;) {
    const due = listDueFollowUps(db, now, SLICE);
    for (const f of due) takeStep(db, config, f, now);
    if (due.length < SLICE) return;
  }
}

/** The job as the scheduled-run policy runs it: one subject, the company. */
export function followUpJob(deps: ServiceDeps): ScheduledJob<'company'> {
  return {
    job: FOLLOW_UP_JOB,
    noun: 'customer follow-up',
    subjects: () => {
      const config = deps.config();
      return [
        {
          id: 'company',
          schedule: config.feedback.follow_up.schedule,
          timezone: config.timezone,
          subject: 'company',
        },
      ];
    },
    catchUp: () => ({ amount: 24, unit: 'h' }),
    plan: (_subject, due, previous) => ({ period: { start: previous ?? due - DAY, end: due } }),
    queue: (_runId, _subject, now) => runFollowUps(deps.db, deps.config(), now),
  };
}

/**
 * The minute tick's part: nothing at all (no schedule read, no write) until a resolution is old enough or a step is
 * due; then the policy runs the job at its next scheduled time. Off (`after_days: 0`): nothing, and when turned
 * on again the scan starts a week before the first follow-up due.
 */
export function runDueFollowUps(deps: ServiceDeps, now: number): TickResult {
  const config = deps.config();
  if (config.feedback.follow_up.after_days === 0) {
    if (getScanMark(deps.db) !== undefined) setScanMark(deps.db, undefined);
    return { queued: [], skipped: [] };
  }
  if (!hasFollowUpWork(deps.db, scanRange(deps.db, config, now), now)) return { queued: [], skipped: [] };
  return runDueJobs({ db: deps.db, logger: deps.logger }, followUpJob(deps), now);
}
