import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';
import { median } from './median.js';

/**
 * Every team number the app shows, defined once. `/strategy`, team reminders, commitments, the App Home and the
 * manager digest all read these functions; nothing else counts feedback or kudos for a team.
 *
 * The rules every number follows:
 * - **Whose an event is**: the department that owned the item when it happened. Each history row stores it
 *   (`feedback_events.department_id`; for a reassignment, the department the item left) and `held_since`, when
 *   that department got the item: filed to it, reassigned to it, or reopened.
 * - **Received**: an item counts as received by every department it reached in the period (filed to it or
 *   reassigned to it), once per department.
 * - **Resolved**: by the department that owned the item when it was resolved.
 * - **Times** (acknowledge, resolve) run from when the department got the item to its first acknowledgement
 *   (resolution) in the period: a team is never credited with time another team held the item.
 * - **SLA breaches**: deadlines missed in the period (dated at the deadline), for the department that owned the item.
 * - **Open**: any status but `resolved` (`new`, `acknowledged`, `reopened`: OPEN_STATUSES in feedback/types.ts).
 * - **Themes**: routing keywords of the items filed in the period that the department holds now.
 * - **Kudos** are ledger rows (one per recipient) with the departments stored when the kudos was given; a kudos
 *   crosses teams when the ledger's own `cross_department` flag says so (both sides belong to a department and
 *   share none). Numbers count what stands now: a kudos withdrawn later leaves every period, even a closed one.
 *
 * Each function takes the departments asked about (a reminder asks for one, a digest run for all) and answers
 * per department with a few grouped SQL queries over covering indexes, never by loading items or kudos. A
 * manager's digest adds up its departments (an item reassigned between two of them was received by both).
 */

export type Period = { start: number; end: number };

/** A theme recurs when it comes up at least this often in a period. */
export const RECURRING = 2;

export type PerDepartment<T> = Map<string, T>;

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const inList = (ids: readonly string[]) => `(${marks(ids.length)})`;

/** Rows of `{ d, n }` into a count per department asked about (0 for the others). */
function countsOf(ids: readonly string[], rows: { d: string; n: number }[]): PerDepartment<number> {
  const result = new Map(ids.map((id) => [id, 0]));
  for (const row of rows) if (result.has(row.d)) result.set(row.d, row.n);
  return result;
}

/** Distinct items with a history row of the period into `status`, per department in `column`. */
function itemsInto(
  db: Db,
  ids: readonly string[],
  period: Period,
  status: 'new' | 'resolved',
  column: 'to_department' | 'department_id',
): PerDepartment<number> {
  if (ids.length === 0) return new Map();
  const rows = stmt(
    db,
    `SELECT ${column} AS d, COUNT(DISTINCT item_id) AS n FROM feedback_events
       WHERE to_status = ? AND ${column} IN ${inList(ids)} AND at >= ? AND at < ?
       GROUP BY ${column}`,
  ).all(status, ...ids, period.start, period.end) as { d: string; n: number }[];
  return countsOf(ids, rows);
}

/** Items that reached each department in the period (filed or reassigned to it): each item once per department. */
export function received(db: Db, ids: readonly string[], period: Period): PerDepartment<number> {
  // Arrivals are the history rows that put an item in `new` (its filing, each reassignment), with the
  // department they brought it to.
  return itemsInto(db, ids, period, 'new', 'to_department');
}

/** Items resolved in the period, by the department that resolved them (each item once). */
export function resolved(db: Db, ids: readonly string[], period: Period): PerDepartment<number> {
  return itemsInto(db, ids, period, 'resolved', 'department_id');
}

/**
 * For each item that reached `status` in the period, the department that owned it then and the time from when
 * that department got the item to the first such change in the period (ms, one per item and department).
 */
function handlingTimes(
  db: Db,
  ids: readonly string[],
  period: Period,
  status: 'acknowledged' | 'resolved',
): PerDepartment<number[]> {
  const result = new Map<string, number[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return result;
  // Each item's first change per department is picked here: a Map is cheaper than SQL grouping tens of
  // thousands of rows in a temporary B-tree.
  const rows = stmt(
    db,
    `SELECT department_id, item_id, at, at - COALESCE(held_since, at) FROM feedback_events
       WHERE to_status = ? AND department_id IN ${inList(ids)} AND at >= ? AND at < ?`,
  )
    .raw()
    .all(status, ...ids, period.start, period.end) as [string, number, number, number][];
  const first = new Map<string, { d: string; at: number; ms: number }>();
  for (const [d, item, at, ms] of rows) {
    const key = `${d}\u0000${item}`;
    const known = first.get(key);
    if (!known || at < known.at) first.set(key, { d, at, ms });
  }
  for (const { d, ms } of first.values()) result.get(d)?.push(Math.max(0, ms));
  return result;
}

/** Time to acknowledge: from when the department got the item to its first acknowledgement in the period. */
export function acknowledgeTimes(db: Db, ids: readonly string[], period: Period): PerDepartment<number[]> {
  return handlingTimes(db, ids, period, 'acknowledged');
}

/** Time to resolve: from when the department got the item to its resolution in the period. */
export function resolveTimes(db: Db, ids: readonly string[], period: Period): PerDepartment<number[]> {
  return handlingTimes(db, ids, period, 'resolved');
}

/** The median of a department's (or several departments') times; undefined when there are none. */
export const medianTime = median;

/**
 * SLA deadlines (acknowledge or resolve) missed in the period: one per item, SLA cycle and deadline, dated at the
 * deadline, counted for the department that owned the item then (feedback_escalations, level 'leads').
 * Zero for a department without an SLA; callers tell "no SLA" from the config.
 */
export function slaBreaches(db: Db, ids: readonly string[], period: Period): PerDepartment<number> {
  if (ids.length === 0) return new Map();
  const rows = stmt(
    db,
    `SELECT department_id AS d, COUNT(*) AS n FROM feedback_escalations
       WHERE level = 'leads' AND department_id IN ${inList(ids)} AND due_at >= ? AND due_at < ?
       GROUP BY department_id`,
  ).all(...ids, period.start, period.end) as { d: string; n: number }[];
  return countsOf(ids, rows);
}

/**
 * Items open now whose department is this one now. Open is OPEN_STATUSES (all but resolved), said here as
 * `status <> 'resolved'`, which the partial "open" index is built on.
 */
export function openNow(db: Db, ids: readonly string[]): PerDepartment<number> {
  const query = stmt(
    db,
    `SELECT COUNT(*) FROM feedback_items WHERE department_id = ? AND status <> 'resolved'`,
  ).pluck();
  return new Map(ids.map((id) => [id, query.get(id) as number]));
}

/**
 * Items the department holds now that it had when the period ended unresolved: filed before the end and open now,
 * or resolved only after the end (an item resolved in the period and reopened since counts as open).
 */
export function openAtEnd(db: Db, ids: readonly string[], period: Period): PerDepartment<number> {
  if (ids.length === 0) return new Map();
  const { end } = period;
  type Row = { d: string; n: number };
  const stillOpen = stmt(
    db,
    `SELECT department_id AS d, COUNT(*) AS n FROM feedback_items
       WHERE department_id IN ${inList(ids)} AND status <> 'resolved' AND created_at < ? GROUP BY department_id`,
  ).all(...ids, end) as Row[];
  const resolvedLater = stmt(
    db,
    `SELECT department_id AS d, COUNT(*) AS n FROM feedback_items
       WHERE department_id IN ${inList(ids)} AND resolved_at >= ? AND status = 'resolved' AND created_at < ?
       GROUP BY department_id`,
  ).all(...ids, end, end) as Row[];
  const result = countsOf(ids, []);
  for (const row of [...stillOpen, ...resolvedLater]) result.set(row.d, (result.get(row.d) ?? 0) + row.n);
  return result;
}

/** Routing labels that are regular expressions ("/inv\d+/") are not themes a person can read. */
const NOT_A_PATTERN = `j.value NOT GLOB '*[\\^$()[|+?{]*'`;

export type Theme = { term: string; count: number };

/**
 * Routing keywords and phrases (lower case) of the items the department holds that were filed in the period,
 * most frequent first.
 */
export function themes(db: Db, ids: readonly string[], period: Period): PerDepartment<Theme[]> {
  const result = new Map<string, Theme[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return result;
  const rows = stmt(
    db,
    `SELECT f.department_id AS d, lower(j.value) AS term, COUNT(*) AS n
       FROM feedback_items f
       JOIN feedback_routing r ON r.item_id = f.id AND r.method = 'rules'
       JOIN json_each(r.matched) j
       WHERE f.department_id IN ${inList(ids)} AND f.created_at >= ? AND f.created_at < ? AND ${NOT_A_PATTERN}
       GROUP BY f.department_id, lower(j.value) ORDER BY n DESC, term`,
  ).all(...ids, period.start, period.end) as { d: string; term: string; n: number }[];
  for (const row of rows) result.get(row.d)?.push({ term: row.term, count: row.n });
  return result;
}

/** The most frequent theme, if it recurs (at least RECURRING times). */
export function topTheme(list: readonly Theme[]): Theme | undefined {
  const [top] = list;
  return top && top.count >= RECURRING ? top : undefined;
}

export type KudosSide = 'received' | 'given';

/**
 * Kudos (ledger rows still standing, created in the period) on one side: received by the department's people
 * (recipient_departments) or given by them (giver_departments); `crossing` counts those the ledger flags as
 * crossing teams. Grouped by the stored department lists (a handful of distinct lists) and split here, which
 * reads the covering index alone instead of expanding every row's JSON in SQL.
 */
function kudosOnSide(
  db: Db,
  ids: readonly string[],
  period: Period,
  side: KudosSide,
): PerDepartment<{ all: number; crossing: number }> {
  const column = side === 'received' ? 'recipient_departments' : 'giver_departments';
  const rows = stmt(
    db,
    `SELECT ${column} AS list, COUNT(*) AS n, SUM(cross_department) AS crossing FROM kudos_ledger
       WHERE revoked_at IS NULL AND created_at >= ? AND created_at < ? GROUP BY ${column}`,
  ).all(period.start, period.end) as { list: string; n: number; crossing: number }[];
  const result = new Map(ids.map((id) => [id, { all: 0, crossing: 0 }]));
  for (const row of rows) {
    for (const d of JSON.parse(row.list) as string[]) {
      const counts = result.get(d);
      if (!counts) continue;
      counts.all += row.n;
      counts.crossing += row.crossing;
    }
  }
  return result;
}

const pick = (
  counts: PerDepartment<{ all: number; crossing: number }>,
  key: 'all' | 'crossing',
): PerDepartment<number> => new Map([...counts].map(([d, c]) => [d, c[key]]));

/** Kudos the department's people received (one per recipient). */
export function kudosReceived(db: Db, ids: readonly string[], period: Period): PerDepartment<number> {
  return pick(kudosOnSide(db, ids, period, 'received'), 'all');
}

/** Kudos the department's people gave to other teams (the ledger's cross_department flag). */
export function kudosToOtherTeams(db: Db, ids: readonly string[], period: Period): PerDepartment<number> {
  return pick(kudosOnSide(db, ids, period, 'given'), 'crossing');
}

/** Customer praise of a period: how many rows per stored list of the praised people's departments (a handful). */
export type CustomerPraiseLists = { list: string[]; n: number }[];

/**
 * Customer praise recorded in the period (migration 0016: one row per colleague a customer praised, with the
 * departments they belonged to then), grouped by department list from the covering index over its time.
 * Customer praise is not a kudos: it is in no kudos number, leaderboard, allowance or cross-team count.
 */
export function customerPraiseLists(db: Db, period: Period): CustomerPraiseLists {
  const rows = stmt(
    db,
    `SELECT recipient_departments AS list, COUNT(*) AS n FROM customer_praise
       WHERE created_at >= ? AND created_at < ? GROUP BY recipient_departments`,
  ).all(period.start, period.end) as { list: string; n: number }[];
  return rows.map((r) => ({ list: JSON.parse(r.list) as string[], n: r.n }));
}

/**
 * Customer praise received by the people of these departments together: each praise once, so a person in two
 * of them counts once (one department: that team's customer praise).
 */
export function customerPraiseOfTeams(lists: CustomerPraiseLists, ids: readonly string[]): number {
  const wanted = new Set(ids);
  return lists.filter(({ list }) => list.some((d) => wanted.has(d))).reduce((sum, { n }) => sum + n, 0);
}

/**
 * Both counts of a side from one query, for a caller that shows both (the digest: kudos given and received,
 * and thanks to and from other teams): the same definitions as kudosReceived and kudosToOtherTeams.
 */
export const kudosCounts = kudosOnSide;

/** One team's numbers for a period, as `/strategy`, reminders, commitments and the App Home show them. */
export type TeamNumbers = {
  received: number;
  resolved: number;
  medianMsToAcknowledge: number | undefined;
  medianMsToResolve: number | undefined;
  topTheme: Theme | undefined;
  slaBreaches: number;
  kudosReceived: number;
  kudosToOtherTeams: number;
};

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
 * The numbers above for one department. Each is counted when first read (then kept): a reminder reads them all,
 * while the App Home reads only what a team's commitments measure.
 */
export function teamNumbers(db: Db, departmentId: string, period: Period): TeamNumbers {
  const one = [departmentId];
  const of = <T>(numbers: PerDepartment<T>, empty: T) => numbers.get(departmentId) ?? empty;
  return lazily<TeamNumbers>({
    received: () => of(received(db, one, period), 0),
    resolved: () => of(resolved(db, one, period), 0),
    medianMsToAcknowledge: () => medianTime(of(acknowledgeTimes(db, one, period), [])),
    medianMsToResolve: () => medianTime(of(resolveTimes(db, one, period), [])),
    topTheme: () => topTheme(of(themes(db, one, period), [])),
    slaBreaches: () => of(slaBreaches(db, one, period), 0),
    kudosReceived: () => of(kudosReceived(db, one, period), 0),
    kudosToOtherTeams: () => of(kudosToOtherTeams(db, one, period), 0),
  });
}

/**
 * Whether a period's numbers may have changed since `since` although the period had closed: a kudos of the
 * period withdrawn since, or an SLA breach of the period recorded since (the escalation job ran late). A cache of
 * closed periods asks this before it answers from memory.
 */
export function changedSince(db: Db, period: Period, since: number): boolean {
  const withdrawn = stmt(
    db,
    `SELECT 1 FROM kudos_ledger WHERE revoked_at IS NOT NULL AND revoked_at >= ?
         AND created_at >= ? AND created_at < ? LIMIT 1`,
  ).get(since, period.start, period.end);
  if (withdrawn !== undefined) return true;
  const breach = stmt(
    db,
    `SELECT 1 FROM feedback_escalations WHERE level = 'leads' AND sent_at >= ?
         AND due_at >= ? AND due_at < ? LIMIT 1`,
  ).get(since, period.start, period.end);
  return breach !== undefined;
}
