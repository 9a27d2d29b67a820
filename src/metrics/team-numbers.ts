import type { Db } from '../store/db.js';
import { median } from './median.js';

/**
 * A department's measurable results for a period [start, end), computed once, in SQL over indexed
 * columns, and read by reminders and /strategy alike (and later by digests and App Home).
 */

export type Period = { start: number; end: number };

/** A theme recurs when it comes up at least this often in a period. */
export const RECURRING = 2;

export type TeamNumbers = {
  received: number;
  resolved: number;
  /** Median over items acknowledged in the period, from receipt to first acknowledgement. */
  medianMsToAcknowledge: number | undefined;
  /** Median over items resolved in the period, from receipt to resolution. */
  medianMsToResolve: number | undefined;
  /** The routing keyword or phrase seen most often in the period's feedback, if at least twice, with its count. */
  topTheme: { term: string; count: number } | undefined;
  /**
   * SLA deadlines (acknowledge or resolve) the department missed in the period: one per item, SLA cycle
   * and deadline, dated at the deadline, as recorded by the escalation job (feedback_escalations, level
   * 'leads'). Zero for a department without an SLA; callers that care tell "no SLA" from the config.
   */
  slaBreaches: number;
  /** Kudos (ledger rows, one per recipient, withdrawn ones left out) received by the department's members. */
  kudosReceived: number;
  /**
   * Kudos the department's members gave to members of other departments: the recipient belonged to at least
   * one department and not to this one. Departments are as recorded when the kudos was given.
   */
  kudosToOtherTeams: number;
};

/** True when the JSON list of department ids in `column` holds the department (`?`). */
const inDepartments = (column: string) => `EXISTS (SELECT 1 FROM json_each(${column}) WHERE value = ?)`;

const KUDOS_RECEIVED = `
  SELECT COUNT(*) FROM kudos_ledger l
  WHERE l.created_at >= ? AND l.created_at < ? AND l.revoked_at IS NULL
    AND ${inDepartments('l.recipient_departments')}`;

const KUDOS_TO_OTHER_TEAMS = `
  SELECT COUNT(*) FROM kudos_ledger l
  WHERE l.created_at >= ? AND l.created_at < ? AND l.revoked_at IS NULL
    AND ${inDepartments('l.giver_departments')}
    AND json_array_length(l.recipient_departments) > 0
    AND NOT ${inDepartments('l.recipient_departments')}`;

function medianOf(db: Db, sql: string, params: unknown[]): number | undefined {
  return median(
    db
      .prepare(sql)
      .pluck()
      .all(...params) as number[],
  );
}

/** Elapsed ms from receipt to the first event reaching `status`, for events inside the period. */
const FIRST_REACHED = `
  SELECT MIN(e.at) - f.created_at
  FROM feedback_events e JOIN feedback_items f ON f.id = e.item_id
  WHERE f.department_id = ? AND e.to_status = ? AND e.at >= ? AND e.at < ?
  GROUP BY e.item_id`;

const RECEIVED =
  'SELECT COUNT(*) FROM feedback_items WHERE department_id = ? AND created_at >= ? AND created_at < ?';

const RESOLVED = `
  SELECT COUNT(DISTINCT e.item_id) FROM feedback_events e JOIN feedback_items f ON f.id = e.item_id
  WHERE f.department_id = ? AND e.to_status = 'resolved' AND e.at >= ? AND e.at < ?`;

const TOP_THEME = `
  SELECT j.value AS term, COUNT(*) AS count
  FROM feedback_items f
  JOIN feedback_routing r ON r.item_id = f.id AND r.method = 'rules'
  JOIN json_each(r.matched) j
  WHERE f.department_id = ? AND f.created_at >= ? AND f.created_at < ?
    AND j.value NOT GLOB '*[\\^$()[|+?{]*'
  GROUP BY lower(j.value) ORDER BY count DESC, term LIMIT 1`;

const SLA_BREACHES = `
  SELECT COUNT(*) FROM feedback_escalations
  WHERE department_id = ? AND level = 'leads' AND due_at >= ? AND due_at < ?`;

/** An object whose every property is computed when first read, then kept. */
function lazily<T extends object>(compute: { [K in keyof T]: () => T[K] }): T {
  const result = {} as T;
  for (const key of Object.keys(compute) as (keyof T)[]) {
    let computed: { value: T[keyof T] } | undefined;
    Object.defineProperty(result, key, {
      enumerable: true,
      get: () => {
        computed ??= { value: compute[key]() };
        return computed.value;
      },
    });
  }
  return result;
}

/**
 * Each number is counted when it is first read (then kept): a reminder reads them all, while the App Home
 * reads only what a team's commitments measure, for each of the viewer's teams.
 */
export function teamNumbers(db: Db, departmentId: string, period: Period): TeamNumbers {
  const { start, end } = period;
  const count =
    (sql: string, ...params: unknown[]) =>
    () =>
      db
        .prepare(sql)
        .pluck()
        .get(...params) as number;
  return lazily<TeamNumbers>({
    received: count(RECEIVED, departmentId, start, end),
    resolved: count(RESOLVED, departmentId, start, end),
    medianMsToAcknowledge: () => medianOf(db, FIRST_REACHED, [departmentId, 'acknowledged', start, end]),
    medianMsToResolve: () => medianOf(db, FIRST_REACHED, [departmentId, 'resolved', start, end]),
    topTheme: () => {
      const theme = db.prepare(TOP_THEME).get(departmentId, start, end) as TeamNumbers['topTheme'];
      // A theme mentioned once is not recurring.
      return theme && theme.count >= RECURRING ? theme : undefined;
    },
    slaBreaches: count(SLA_BREACHES, departmentId, start, end),
    kudosReceived: count(KUDOS_RECEIVED, start, end, departmentId),
    kudosToOtherTeams: count(KUDOS_TO_OTHER_TEAMS, start, end, departmentId, departmentId),
  });
}
