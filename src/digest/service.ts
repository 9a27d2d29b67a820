import type { GroupServiceDeps } from '../app-core.js';
import { peopleOfDepartment } from '../config/membership.js';
import type { Manager } from '../config/org-schema.js';
import { occurrenceAtOrBefore, occurrenceBefore } from '../jobs/cron.js';
import { lastQueuedRun } from '../jobs/run-log.js';
import { runDueJobs, type ScheduledJob, type TickResult } from '../jobs/scheduled-runs.js';
import { createSlicer } from '../jobs/slicer.js';
import type { Period } from '../metrics/numbers.js';
import { enqueueOutbox } from '../slack/delivery/outbox-repo.js';
import { weeksEndingAt } from '../time/local-time.js';
import {
  composeDigest,
  createDigestNumbers,
  type DigestNumbers,
  type DigestNumbersCache,
  type ManagerDigest,
  TREND_WEEKS,
} from './compose.js';
import { createPeriodPieces } from './period-pieces.js';

/**
 * Weekly manager digests: which are due (one per manager per scheduled week, recorded in the run log in the
 * same transaction that queues the DM), what a digest holds, and the on-demand preview.
 */

export const DIGEST_JOB = 'manager-digest';
const WEEK = 7 * 24 * 3_600_000;
/** Room for the closed weeks of every manager's preview (a trend and a previous week each) several times over. */
const PREVIEW_CACHE_ENTRIES = 1024;

export type DigestDeps = GroupServiceDeps & {
  /** Slack requests being answered now: a run's shared numbers are counted in slices that wait for them. */
  requestsInFlight?: () => number;
};

export type DigestPreview =
  | { kind: 'digest'; digest: ManagerDigest }
  | { kind: 'not-a-manager'; admins: string[] }
  | { kind: 'no-departments'; admins: string[] };

export type DigestService = {
  /** Queue every digest due at `now`; a digest missed while the app was down is caught up once. */
  runDueDigests(now?: number): TickResult;
  /** The digest of a manager for a period, with the previous period and the eight weeks before its end. */
  compose(manager: Manager, period: Period, partial?: boolean): Promise<ManagerDigest>;
  /** `/loop digest`: the caller's digest for the week so far, or why they have none. */
  preview(userId: string): Promise<DigestPreview>;
};

export function createDigestService(deps: DigestDeps): DigestService {
  const { db, clock, logger } = deps;
  const slices = createSlicer(deps.requestsInFlight ? { requestsInFlight: deps.requestsInFlight } : {});
  const numbers = createDigestNumbers({
    db,
    departmentIds: () => deps.config().departments.map((d) => d.id),
    now: () => clock.now(),
  });
  /**
   * The previews' closed weeks (the eight-week trend, the week before), kept apart from the scheduled digests'
   * so previews never push out the weeks those reuse. Each preview counts only its manager's departments.
   */
  const previewCache: DigestNumbersCache = new Map();
  const previewPieces = createPeriodPieces({ db, now: () => clock.now() });
  const previewNumbers = (manager: Manager, weekStart: number) =>
    createDigestNumbers({
      db,
      departmentIds: () => manager.departments,
      now: () => clock.now(),
      closedBefore: () => weekStart,
      cache: previewCache,
      maxEntries: PREVIEW_CACHE_ENTRIES,
      pieces: previewPieces,
    });

  /**
   * A run's week: from the previous scheduled time to this one (a week for the default schedule), or from the
   * last digest sent if that was later (after a change of schedule or time zone). `alreadySent`: a digest went
   * out after the previous scheduled time, so this interval has had its digest (a moved schedule, a new
   * time zone) and a second one would repeat it.
   */
  const periodEndingAt = (
    manager: Manager,
    end: number,
    scheduledBefore: number | undefined,
  ): { period: Period; alreadySent: boolean } => {
    const previous = scheduledBefore ?? end - WEEK;
    const last = lastQueuedRun(db, DIGEST_JOB, manager.user);
    const alreadySent = last !== undefined && last.scheduledFor > previous && last.scheduledFor < end;
    // Since the last digest when that was recent (a moved schedule or time zone); after a long gap, one week.
    const start =
      last && last.periodEnd < end && end - last.periodEnd <= 2 * (end - previous)
        ? last.periodEnd
        : previous;
    return { period: { start, end }, alreadySent };
  };

  /**
   * `partial` (the preview): the period runs to now, so it is compared with the same length of time just before,
   * and the trend is the seven weeks before it plus the week so far. A scheduled week is compared with the
   * previous scheduled week (which is 167 or 169 hours across a daylight-saving change).
   */
  const compose = async (
    manager: Manager,
    period: Period,
    partial = false,
    using: DigestNumbers = numbers,
  ): Promise<ManagerDigest> => {
    const config = deps.config();
    const departments = config.departments.filter((d) => manager.departments.includes(d.id));
    const people = (
      await Promise.all(
        departments.map((d) =>
          peopleOfDepartment(d, deps.groupMembers).catch(() => [...d.members, ...d.leads]),
        ),
      )
    ).flat();
    const trendWeeks = partial
      ? [...weeksEndingAt(period.start, manager.timezone, TREND_WEEKS - 1), period]
      : weeksEndingAt(period.end, manager.timezone, TREND_WEEKS);
    const previousStart = partial
      ? period.start - (period.end - period.start)
      : (occurrenceBefore(config.digest.schedule, manager.timezone, period.start) ??
        period.start - (period.end - period.start));
    const input = {
      db,
      numbers: using,
      manager,
      departments,
      period,
      previousPeriod: { start: previousStart, end: period.start },
      trendWeeks,
      people,
      unrecognisedWeeks: config.digest.unrecognised_weeks,
      atRiskDays: config.feedback.at_risk.days,
    };
    // What every digest of the run shares, counted in slices before the first one (issue 14).
    await using.prepare(input, slices);
    return composeDigest(input);
  };

  const digests: ScheduledJob<Manager> = {
    job: DIGEST_JOB,
    noun: 'manager digest',
    subjects: () => {
      const { managers, digest } = deps.config();
      return managers.map((m) => ({
        id: m.user,
        schedule: digest.schedule,
        timezone: m.timezone,
        subject: m,
      }));
    },
    catchUp: () => ({ amount: deps.config().digest.catch_up_hours, unit: 'h' }),
    plan: (manager, due, previous) => {
      const { period, alreadySent } = periodEndingAt(manager, due, previous);
      if (alreadySent) return 'already-sent';
      return manager.departments.length === 0
        ? { period, skip: 'the manager has no departments in the org config' }
        : { period };
    },
    queue: (runId, manager, now) =>
      enqueueOutbox(
        db,
        {
          kind: 'digest.manager_dm',
          payload: { runId },
          dedupeKey: `digest:${runId}`,
          orderingKey: manager.user,
        },
        now,
      ),
  };

  return {
    compose,

    runDueDigests: (now = clock.now()) => runDueJobs({ db, logger }, digests, now),

    async preview(userId) {
      const config = deps.config();
      const manager = config.managers.find((m) => m.user === userId);
      if (!manager) return { kind: 'not-a-manager', admins: config.admins };
      if (manager.departments.length === 0) return { kind: 'no-departments', admins: config.admins };
      const now = clock.now();
      const start = occurrenceAtOrBefore(config.digest.schedule, manager.timezone, now) ?? now - WEEK;
      const digest = await compose(manager, { start, end: now }, true, previewNumbers(manager, start));
      return { kind: 'digest', digest };
    },
  };
}
