import type { GroupServiceDeps } from '../app-core.js';
import { departmentsOfMember } from '../config/membership.js';
import { findDepartment } from '../config/org.js';
import type { Department } from '../config/org-schema.js';
import { getRun, type JobRun, lastQueuedRun } from '../jobs/run-log.js';
import { claimScheduledRun, runDueJobs, type ScheduledJob, type TickResult } from '../jobs/scheduled-runs.js';
import {
  contactedRate,
  customersKeptRate,
  openNow,
  type Period,
  previousPeriod,
  type TeamNumbers,
  teamNumbers,
} from '../metrics/numbers.js';
import { type OpenItem, oldestOpenItems } from '../metrics/open-items.js';
import { type OutcomeReport, outcomeReport } from '../metrics/outcome-report.js';
import { enqueueOutbox } from '../slack/delivery/outbox-repo.js';
import { type CommitmentResult, evaluateCommitments } from './commitments.js';

export const REMINDER_JOB = 'team-reminder';
const WEEK = 7 * 24 * 3_600_000;

export type StrategyDeps = GroupServiceDeps;

/** What a reminder or /strategy shows for one team. */
export type TeamStrategy = {
  promise: string;
  company: string;
  department: Department;
  period: Period;
  numbers: TeamNumbers;
  /** The same numbers for the period of the same length just before (each counted only when read). */
  previousNumbers: TeamNumbers;
  /** Whether kudos are set up (the org config has a kudos section), so their numbers mean something. */
  kudosEnabled: boolean;
  commitments: CommitmentResult[];
  /** The team's items open now: how many, and the oldest few. */
  open: { count: number; oldest: OpenItem[] };
  /** Customers kept and lost, and told, for the team and company-wide (counted when first read). */
  outcomes: { team: OutcomeReport; company: OutcomeReport };
};

/** How many of a team's oldest open items a reminder or /strategy lists. */
export const OLDEST_OPEN = 5;

export type StrategyLookup =
  | { kind: 'team'; strategy: TeamStrategy }
  | { kind: 'no-team'; promise: string; company: string; departments: Department[] }
  | { kind: 'unknown-department'; name: string; departments: Department[] };

export type StrategyService = {
  /** Queue every reminder that is due at `now` (and catch up one missed within the grace window). */
  runDueReminders(now?: number): TickResult;
  /** Admin: queue a department's reminder now. */
  remindNow(departmentId: string): JobRun | undefined;
  /** The team's role, commitments and numbers for a period (preview, /strategy, and delivery). */
  teamStrategy(department: Department, period: Period): TeamStrategy;
  /** The period the next reminder for this team would cover if sent at `now`. */
  nextPeriod(department: Department, now: number): Period;
  /** `/strategy [department]` for a user: the named team, or the caller's own. */
  lookup(userId: string, departmentName: string): Promise<StrategyLookup>;
};

export function createStrategyService(deps: StrategyDeps): StrategyService {
  const { db, clock, logger } = deps;

  const teamStrategy = (department: Department, period: Period): TeamStrategy => {
    const config = deps.config();
    const numbers = teamNumbers(db, department.id, period);
    let outcomes: TeamStrategy['outcomes'] | undefined;
    const outcomesOf = () =>
      (outcomes ??= {
        team: outcomeReport(db, [department.id], period),
        company: outcomeReport(
          db,
          config.departments.map((d) => d.id),
          period,
        ),
      });
    return {
      promise: config.company.promise,
      company: config.company.name,
      department,
      period,
      numbers,
      previousNumbers: teamNumbers(db, department.id, previousPeriod(period)),
      kudosEnabled: config.kudos !== undefined,
      // Read only when a commitment measures them (numbers are counted on first read).
      commitments: evaluateCommitments(department.commitments, numbers, {
        // Without an SLA there is nothing to breach: the measure says "no data" rather than a flattering 0.
        get slaBreaches() {
          return department.sla ? numbers.slaBreaches : undefined;
        },
        // Without kudos set up, "0 kudos to other teams" would be a false miss: report no data instead.
        get kudosToOtherTeams() {
          return config.kudos ? numbers.kudosToOtherTeams : undefined;
        },
        get contactedRate() {
          return contactedRate(outcomesOf().team.current.contacted);
        },
        get customersKeptRate() {
          return customersKeptRate(outcomesOf().team.current.outcomes);
        },
      }),
      open: {
        count: openNow(db, [department.id]).get(department.id) ?? 0,
        oldest: oldestOpenItems(db, [department.id], OLDEST_OPEN),
      },
      get outcomes() {
        return outcomesOf();
      },
    };
  };

  /** The period a run covers: since the last reminder sent, or since the previous scheduled time. */
  const periodFor = (department: Department, end: number, previous: number | undefined): Period => {
    const last = lastQueuedRun(db, REMINDER_JOB, department.id);
    const start = last && last.periodEnd < end ? last.periodEnd : (previous ?? end - WEEK);
    return { start, end };
  };

  const reminders: ScheduledJob<Department> = {
    job: REMINDER_JOB,
    noun: 'reminder',
    subjects: () =>
      deps
        .config()
        .departments.flatMap((d) =>
          d.reminder
            ? [{ id: d.id, schedule: d.reminder.schedule, timezone: d.reminder.timezone, subject: d }]
            : [],
        ),
    catchUp: () => ({ amount: deps.config().reminders.catch_up_minutes, unit: 'min' }),
    plan: (department, due, previous) => ({ period: periodFor(department, due, previous) }),
    queue: (runId, department, now) =>
      enqueueOutbox(
        db,
        {
          kind: 'strategy.reminder',
          payload: { runId },
          dedupeKey: `reminder:${runId}`,
          orderingKey: department.channel,
        },
        now,
      ),
  };

  return {
    teamStrategy,
    nextPeriod: (department, now) => periodFor(department, now, undefined),

    runDueReminders: (now = clock.now()) => runDueJobs({ db, logger }, reminders, now),

    remindNow(departmentId) {
      const department = deps.config().departments.find((d) => d.id === departmentId);
      if (!department) return undefined;
      const now = clock.now();
      const period = periodFor(department, now, undefined);
      const runId = claimScheduledRun(
        db,
        reminders,
        { id: department.id, subject: department },
        now,
        { period },
        now,
      );
      return runId === undefined ? undefined : getRun(db, runId);
    },

    async lookup(userId, departmentName) {
      const config = deps.config();
      const now = clock.now();
      const lastWeek = { start: now - WEEK, end: now };
      const name = departmentName.trim();
      if (name !== '') {
        const department = findDepartment(config, name);
        return department
          ? { kind: 'team', strategy: teamStrategy(department, lastWeek) }
          : { kind: 'unknown-department', name, departments: config.departments };
      }
      const [own] = await departmentsOfMember(config, userId, deps.groupMembers);
      return own
        ? { kind: 'team', strategy: teamStrategy(own, lastWeek) }
        : {
            kind: 'no-team',
            promise: config.company.promise,
            company: config.company.name,
            departments: config.departments,
          };
    },
  };
}
