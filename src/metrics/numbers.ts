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
 * - **Right the first time** (each rate is a count over a count of the same period, so a manager's digest adds
 *   up the counts of its departments before dividing): the *reopen rate* is the items reopened in the period
 *   (by the department holding them, the one that had resolved them) per item it resolved in the period; the
 *   *reassign rate* is the items the department passed on to another (a reassignment, counted for the
 *   department the item left) per item it received; *handoffs per item* is, for each resolution in the period,
 *   how many times the item had been reassigned by then (from its filing, whichever teams did it), averaged.
 *   Rates above 100% (an item received last week and passed on this week) are shown as 100%.
 * - **Contact mix**: how the customers of the items filed in the period that the department holds now reached
 *   us (the form's contact channels, or `via:`); items that did not say are counted apart. Customer details
 *   removed after the retention period take the channel with them.
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

/** The history rows of the period into `status`, per department in `column` (what received and resolved count). */
function intoStatusSql(
  ids: readonly string[],
  column: 'to_department' | 'department_id',
  select: string,
): string {
  return `SELECT ${select} FROM feedback_events
       WHERE to_status = ? AND ${column} IN ${inList(ids)} AND at >= ? AND at < ?`;
}

/** Distinct items with a history row of the period into `status`, per department in `column`. */
function itemsInto(
  db: Db,
  ids: readonly string[],
  period: Period,
  status: 'new' | 'resolved' | 'reopened',
  column: 'to_department' | 'department_id',
): PerDepartment<number> {
  if (ids.length === 0) return new Map();
  const rows = stmt(
    db,
    `${intoStatusSql(ids, column, `${column} AS d, COUNT(DISTINCT item_id) AS n`)} GROUP BY ${column}`,
  ).all(status, ...ids, period.start, period.end) as { d: string; n: number }[];
  return countsOf(ids, rows);
}

/** Rows of `[department, item]` into the distinct items per department asked about. */
function itemSetsOf(ids: readonly string[], rows: [string, number][]): PerDepartment<Set<number>> {
  const result = new Map<string, Set<number>>(ids.map((id) => [id, new Set()]));
  for (const [d, item] of rows) result.get(d)?.add(item);
  return result;
}

/** The items itemsInto counts, as item ids (a digest preview joins the items of adjoining periods). */
function itemSetsInto(
  db: Db,
  ids: readonly string[],
  period: Period,
  status: 'new' | 'reopened',
  column: 'to_department' | 'department_id',
): PerDepartment<Set<number>> {
  if (ids.length === 0) return new Map();
  const rows = stmt(db, intoStatusSql(ids, column, `${column}, item_id`))
    .raw()
    .all(status, ...ids, period.start, period.end) as [string, number][];
  return itemSetsOf(ids, rows);
}

/**
 * The items `received` counts, per department: a period's arrivals as item ids, so that the arrivals of several
 * periods can be joined (an item counts once per department over their union, as over one period).
 */
export function arrivals(db: Db, ids: readonly string[], period: Period): PerDepartment<Set<number>> {
  return itemSetsInto(db, ids, period, 'new', 'to_department');
}

/** The items `reopened` counts, per department, as item ids (joined over adjoining periods like arrivals). */
export function reopenedItems(db: Db, ids: readonly string[], period: Period): PerDepartment<Set<number>> {
  return itemSetsInto(db, ids, period, 'reopened', 'department_id');
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

/** Items reopened in the period, by the department holding them (each item once). */
export function reopened(db: Db, ids: readonly string[], period: Period): PerDepartment<number> {
  return itemsInto(db, ids, period, 'reopened', 'department_id');
}

/** The history rows of the period that passed an item on, per department that passed it on. */
const passedOnSql = (ids: readonly string[], select: string) =>
  `SELECT ${select} FROM feedback_events
       WHERE action = 'reassign' AND department_id IN ${inList(ids)} AND at >= ? AND at < ?`;

/** Items the department passed on (reassigned to another) in the period, each item once. */
export function passedOn(db: Db, ids: readonly string[], period: Period): PerDepartment<number> {
  if (ids.length === 0) return new Map();
  const rows = stmt(
    db,
    `${passedOnSql(ids, 'department_id AS d, COUNT(DISTINCT item_id) AS n')} GROUP BY department_id`,
  ).all(...ids, period.start, period.end) as { d: string; n: number }[];
  return countsOf(ids, rows);
}

/** The items `passedOn` counts, per department, as item ids (joined over adjoining periods like arrivals). */
export function passedOnItems(db: Db, ids: readonly string[], period: Period): PerDepartment<Set<number>> {
  if (ids.length === 0) return new Map();
  const rows = stmt(db, passedOnSql(ids, 'department_id, item_id'))
    .raw()
    .all(...ids, period.start, period.end) as [string, number][];
  return itemSetsOf(ids, rows);
}

export type Handoffs = { resolutions: number; handoffs: number };

/**
 * The department's resolutions in the period and, summed over them, how many times each item had been
 * reassigned by then (kept on each resolution when it was written: a read of the resolutions' index).
 */
export function handoffs(db: Db, ids: readonly string[], period: Period): PerDepartment<Handoffs> {
  const result = new Map(ids.map((id) => [id, { resolutions: 0, handoffs: 0 }]));
  if (ids.length === 0) return result;
  const rows = stmt(
    db,
    `SELECT department_id AS d, COUNT(*) AS resolutions, COALESCE(SUM(handoffs), 0) AS handoffs
       FROM feedback_events INDEXED BY feedback_events_resolutions
       WHERE to_status = 'resolved' AND department_id IN ${inList(ids)} AND at >= ? AND at < ?
       GROUP BY department_id`,
  ).all(...ids, period.start, period.end) as { d: string; resolutions: number; handoffs: number }[];
  for (const row of rows) result.set(row.d, { resolutions: row.resolutions, handoffs: row.handoffs });
  return result;
}

/** The counts behind the first-time-right rates; a digest adds its departments' counts up. */
export type FirstTimeRight = Handoffs & {
  received: number;
  resolved: number;
  reopened: number;
  passedOn: number;
};

export const NO_FIRST_TIME_RIGHT: FirstTimeRight = {
  received: 0,
  resolved: 0,
  reopened: 0,
  passedOn: 0,
  resolutions: 0,
  handoffs: 0,
};

/** The first-time-right counts of each department (`received` and `resolved` as defined above). */
export function firstTimeRight(
  db: Db,
  ids: readonly string[],
  period: Period,
): PerDepartment<FirstTimeRight> {
  const counts = {
    received: received(db, ids, period),
    resolved: resolved(db, ids, period),
    reopened: reopened(db, ids, period),
    passedOn: passedOn(db, ids, period),
    handoffs: handoffs(db, ids, period),
  };
  return new Map(
    ids.map((id) => [
      id,
      {
        received: counts.received.get(id) ?? 0,
        resolved: counts.resolved.get(id) ?? 0,
        reopened: counts.reopened.get(id) ?? 0,
        passedOn: counts.passedOn.get(id) ?? 0,
        ...(counts.handoffs.get(id) ?? { resolutions: 0, handoffs: 0 }),
      },
    ]),
  );
}

/** Several departments' counts added up (a manager's digest). */
export function addFirstTimeRight(list: readonly FirstTimeRight[]): FirstTimeRight {
  const total = { ...NO_FIRST_TIME_RIGHT };
  for (const c of list)
    for (const key of Object.keys(total) as (keyof FirstTimeRight)[]) total[key] += c[key];
  return total;
}

const percentOf = (part: number, whole: number) =>
  whole === 0 ? undefined : Math.min(100, (part / whole) * 100);

/** Reopen rate in percent: items reopened per item resolved; undefined when nothing was resolved. */
export const reopenPercent = (c: FirstTimeRight) => percentOf(c.reopened, c.resolved);

/** Reassign rate in percent: items passed on per item received; undefined when nothing was received. */
export const reassignPercent = (c: FirstTimeRight) => percentOf(c.passedOn, c.received);

/** Handoffs per resolved item; undefined when nothing was resolved. */
export const handoffsPerItem = (c: FirstTimeRight) =>
  c.resolutions === 0 ? undefined : c.handoffs / c.resolutions;

/** How customers reached us: items per contact channel (`NOT_SAID` for none), most first. */
export type ContactMix = [channel: string, count: number][];

/** The contact mix key of items whose reporter did not say how the customer reached us. */
export const NOT_SAID = '';

/** The contact mix of the items filed in the period that each department holds now. */
export function contactMix(db: Db, ids: readonly string[], period: Period): PerDepartment<ContactMix> {
  const result = new Map<string, ContactMix>(ids.map((id) => [id, []]));
  if (ids.length === 0) return result;
  const rows = stmt(
    db,
    `SELECT department_id AS d, COALESCE(contact_channel, '') AS channel, COUNT(*) AS n FROM feedback_items
       WHERE department_id IN ${inList(ids)} AND created_at >= ? AND created_at < ?
       GROUP BY department_id, contact_channel ORDER BY n DESC, channel`,
  ).all(...ids, period.start, period.end) as { d: string; channel: string; n: number }[];
  for (const row of rows) result.get(row.d)?.push([row.channel, row.n]);
  return result;
}

/** Per item, its first change into a status in a period: when, and how long its department had held it then. */
export type FirstChanges = Map<number, { at: number; ms: number }>;

/**
 * For each item that reached `status` in the period, per department that owned it then: the first such change in
 * the period and the time from when that department got the item to it (ms). The times below are these.
 */
export function firstChanges(
  db: Db,
  ids: readonly string[],
  period: Period,
  status: 'acknowledged' | 'resolved',
): PerDepartment<FirstChanges> {
  const result = new Map<string, FirstChanges>(ids.map((id) => [id, new Map()]));
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
  for (const [d, item, at, ms] of rows) {
    const first = result.get(d);
    const known = first?.get(item);
    if (!known || at < known.at) first?.set(item, { at, ms });
  }
  return result;
}

/**
 * The first changes over several adjoining periods, from each period's: the earliest per item, which is what
 * firstChanges gives over their union.
 */
export function joinFirstChanges(parts: readonly FirstChanges[]): FirstChanges {
  if (parts.length === 1) return parts[0] as FirstChanges;
  const result: FirstChanges = new Map();
  for (const part of parts) {
    for (const [item, change] of part) {
      const known = result.get(item);
      if (!known || change.at < known.at) result.set(item, change);
    }
  }
  return result;
}

/** The handling times of first changes (ms, never below 0). */
export function timesOf(first: FirstChanges): number[] {
  return [...first.values()].map((c) => Math.max(0, c.ms));
}

function handlingTimes(
  db: Db,
  ids: readonly string[],
  period: Period,
  status: 'acknowledged' | 'resolved',
): PerDepartment<number[]> {
  return new Map([...firstChanges(db, ids, period, status)].map(([d, first]) => [d, timesOf(first)]));
}

/** Time to acknowledge: from when the department got the item to its first acknowledgement in the period. */
export function acknowledgeTimes(db: Db, ids: readonly string[], period: Period): PerDepartment<number[]> {
  return handlingTimes(db, ids, period, 'acknowledged');
}

/** Time to resolve: from when the department got the item to its resolution in the period. */
export function resolveTimes(db: Db, ids: readonly string[], period: Period): PerDepartment<number[]> {
  return handlingTimes(db, ids, period, 'resolved');
}

/**
 * The department's latest acknowledgements since `since`, newest first and at most `limit`: for each, the time
 * from when the department got the item to the acknowledgement (as in acknowledgeTimes) and the item's severity.
 * A bounded read of the history's index, for the receipt's "usually acknowledges within" (src/feedback/
 * expected-answer.ts), which keeps the medians it takes from it for a while.
 */
export function recentAcknowledgeTimes(
  db: Db,
  departmentId: string,
  since: number,
  limit: number,
): { severity: string; ms: number }[] {
  return stmt(
    db,
    `SELECT f.severity AS severity, MAX(0, e.at - COALESCE(e.held_since, e.at)) AS ms
       FROM feedback_events e JOIN feedback_items f ON f.id = e.item_id
       WHERE e.to_status = 'acknowledged' AND e.department_id = ? AND e.at >= ?
       ORDER BY e.at DESC LIMIT ?`,
  ).all(departmentId, since, limit) as { severity: string; ms: number }[];
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
 * `status <> 'resolved'`: the running totals in department_open_counts are kept by triggers on feedback_items
 * with that condition (migration 0024), in the same transaction as each item's write.
 */
export function openNow(db: Db, ids: readonly string[]): PerDepartment<number> {
  if (ids.length === 0) return new Map();
  const rows = stmt(
    db,
    `SELECT department_id AS d, open_items AS n FROM department_open_counts WHERE department_id IN ${inList(ids)}`,
  ).all(...ids) as { d: string; n: number }[];
  return countsOf(ids, rows);
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
  // The index is named: without statistics (the app never runs ANALYZE) SQLite read every resolved item filed
  // before the end through the index on status (250 ms for 20 departments at a year of data, against 10 ms).
  const resolvedLater = stmt(
    db,
    `SELECT department_id AS d, COUNT(*) AS n FROM feedback_items INDEXED BY feedback_items_department_resolved
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
  // The index holding the department lists is named: without statistics (the app never runs ANALYZE) SQLite took
  // kudos_ledger_created_recipient and read each row for its lists.
  const rows = stmt(
    db,
    `SELECT ${column} AS list, COUNT(*) AS n, SUM(cross_department) AS crossing
       FROM kudos_ledger INDEXED BY kudos_ledger_created_departments
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

/** Customer survey answers of a period: how many, the sum of their scores (1-5), and how many scored 4 or 5. */
export type SatisfactionCounts = { answers: number; scoreSum: number; satisfied: number };

/**
 * **Customer satisfaction**: survey answers given in the period (on the survey page, or recorded by the reporter),
 * counted for the department that held the item when it was resolved. Its average is `averageScore` and its share
 * of satisfied customers (a 4 or a 5) `satisfiedShare`; several departments add up (`addSatisfaction`). One
 * grouped query over the covering index `survey_answers_department`.
 */
export function satisfaction(
  db: Db,
  ids: readonly string[],
  period: Period,
): PerDepartment<SatisfactionCounts> {
  const result = new Map(ids.map((id) => [id, { answers: 0, scoreSum: 0, satisfied: 0 }]));
  if (ids.length === 0) return result;
  const rows = stmt(
    db,
    `SELECT department_id AS d, COUNT(*) AS answers, SUM(score) AS scoreSum, SUM(score >= 4) AS satisfied
       FROM survey_requests
       WHERE department_id IN ${inList(ids)} AND answered_at >= ? AND answered_at < ?
       GROUP BY department_id`,
  ).all(...ids, period.start, period.end) as ({ d: string } & SatisfactionCounts)[];
  for (const { d, ...counts } of rows) if (result.has(d)) result.set(d, counts);
  return result;
}

/** The mean score (1-5), or undefined without answers. */
export const averageScore = (c: SatisfactionCounts): number | undefined =>
  c.answers === 0 ? undefined : c.scoreSum / c.answers;

/** The share (0-1) of answers that were a 4 or a 5, or undefined without answers. */
export const satisfiedShare = (c: SatisfactionCounts): number | undefined =>
  c.answers === 0 ? undefined : c.satisfied / c.answers;

/** Several departments' answers together (a manager's digest). */
export function addSatisfaction(list: readonly SatisfactionCounts[]): SatisfactionCounts {
  return list.reduce(
    (sum, c) => ({
      answers: sum.answers + c.answers,
      scoreSum: sum.scoreSum + c.scoreSum,
      satisfied: sum.satisfied + c.satisfied,
    }),
    { answers: 0, scoreSum: 0, satisfied: 0 },
  );
}

/** The period of the same length just before this one (what a number is compared with). */
export function previousPeriod(period: Period): Period {
  return { start: period.start - (period.end - period.start), end: period.start };
}

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
  firstTimeRight: FirstTimeRight;
  contactMix: ContactMix;
  satisfaction: SatisfactionCounts;
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
  const numbers: TeamNumbers = lazily<TeamNumbers>({
    received: () => of(received(db, one, period), 0),
    resolved: () => of(resolved(db, one, period), 0),
    medianMsToAcknowledge: () => medianTime(of(acknowledgeTimes(db, one, period), [])),
    medianMsToResolve: () => medianTime(of(resolveTimes(db, one, period), [])),
    topTheme: () => topTheme(of(themes(db, one, period), [])),
    slaBreaches: () => of(slaBreaches(db, one, period), 0),
    kudosReceived: () => of(kudosReceived(db, one, period), 0),
    kudosToOtherTeams: () => of(kudosToOtherTeams(db, one, period), 0),
    firstTimeRight: (): FirstTimeRight => ({
      received: numbers.received,
      resolved: numbers.resolved,
      reopened: of(reopened(db, one, period), 0),
      passedOn: of(passedOn(db, one, period), 0),
      ...of(handoffs(db, one, period), { resolutions: 0, handoffs: 0 }),
    }),
    contactMix: () => of(contactMix(db, one, period), []),
    satisfaction: () => of(satisfaction(db, one, period), { answers: 0, scoreSum: 0, satisfied: 0 }),
  });
  return numbers;
}

/**
 * Whether a period's numbers may have changed since `since` although the period had closed: a kudos of the
 * period withdrawn since, or an SLA breach of the period recorded since (the escalation job ran late). A cache of
 * closed periods asks this before it answers from memory. (The digest preview's pieces also ask
 * itemsChangedSince: numbers read from the items move when an item is reassigned or reopened later.)
 */
export function changedSince(db: Db, period: Period, since: number): boolean {
  return kudosWithdrawnSince(db, period, since) || breachesRecordedSince(db, period, since);
}

/** Whether a kudos of the period was withdrawn since `since` (the kudos numbers count what stands now). */
export function kudosWithdrawnSince(db: Db, period: Period, since: number): boolean {
  const withdrawn = stmt(
    db,
    `SELECT 1 FROM kudos_ledger WHERE revoked_at IS NOT NULL AND revoked_at >= ?
         AND created_at >= ? AND created_at < ? LIMIT 1`,
  ).get(since, period.start, period.end);
  return withdrawn !== undefined;
}

/** Whether an SLA breach of the period was recorded since `since` (the escalation job ran late). */
export function breachesRecordedSince(db: Db, period: Period, since: number): boolean {
  const breach = stmt(
    db,
    `SELECT 1 FROM feedback_escalations WHERE level = 'leads' AND sent_at >= ?
         AND due_at >= ? AND due_at < ? LIMIT 1`,
  ).get(since, period.start, period.end);
  return breach !== undefined;
}

/**
 * Whether what the numbers read from the items of the period (where they are now, how customers reached us) may
 * have changed since `since`: an item filed in the period moved, or customer details were removed. The numbers
 * read from the history (received, resolved, the times, first time right) never change for a closed period.
 */
export function itemsChangedSince(db: Db, period: Period, since: number): boolean {
  const erased = stmt(db, 'SELECT 1 FROM customer_erasures WHERE items > 0 AND at >= ? LIMIT 1').get(since);
  return erased !== undefined || itemsMovedSince(db, period, since);
}

/**
 * Whether an item filed in the period was reassigned or reopened since `since` (which changes where it counts
 * now, and whether it was open at the period's end). `openAtEnd` of a past end asks it for every item filed
 * before that end.
 */
export function itemsMovedSince(db: Db, filed: { start?: number; end: number }, since: number): boolean {
  // INDEXED BY: with statistics, SQLite would rather skip-scan the arrivals index (0.2 ms instead of 0.02).
  const moved = stmt(
    db,
    `SELECT 1 FROM feedback_events INDEXED BY feedback_events_item_moves
       WHERE action IN ('reassign', 'reopen') AND at >= ?
         AND item_created_at >= ? AND item_created_at < ? LIMIT 1`,
  ).get(since, filed.start ?? 0, filed.end);
  return moved !== undefined;
}

/** Resolved items that had a customer, and how many of them the reporter answered "Told the customer". */
export type ContactCounts = { told: number; resolved: number };

/**
 * Told the customer: items the department resolved in the period (still resolved) that had a customer, and how
 * many of those the reporter answered **Told the customer** in the resolved DM (a resolver who ticked "the
 * customer was contacted" told them; items resolved before the buttons existed count the form's flag, copied by
 * migration 0016). One covering partial index (`feedback_items_contacted`, named: without statistics the planner
 * would pick the wider department/resolution index and read every row) answers it.
 */
export function contactedCounts(
  db: Db,
  ids: readonly string[],
  period: Period,
): PerDepartment<ContactCounts> {
  const result = new Map(ids.map((id) => [id, { told: 0, resolved: 0 }]));
  if (ids.length === 0) return result;
  const rows = stmt(
    db,
    `SELECT department_id AS d, COUNT(*) AS resolved, SUM(contact_answer = 'told') AS told
       FROM feedback_items INDEXED BY feedback_items_contacted
       WHERE status = 'resolved' AND customer_id IS NOT NULL AND department_id IN ${inList(ids)}
         AND resolved_at >= ? AND resolved_at < ?
       GROUP BY department_id`,
  ).all(...ids, period.start, period.end) as { d: string; resolved: number; told: number }[];
  for (const row of rows) result.set(row.d, { told: row.told, resolved: row.resolved });
  return result;
}

/** `contacted_rate`: told / resolved with a customer, in percent; undefined when nothing was resolved. */
export function contactedRate(c: ContactCounts): number | undefined {
  return c.resolved === 0 ? undefined : (c.told / c.resolved) * 100;
}

/**
 * Follow-up outcomes recorded in the period (dated when recorded), for the department that handled the item:
 * `kept` are customers still with us (answered **Still a customer** or **Came back with the same problem**, the
 * latter also in `cameBack`), `lost` answered **Left** (with `reasons`: how many per reason), `unknown` no answer
 * after the reminder. One follow-up per resolution of an item; the partial index `customer_follow_ups_outcomes`
 * covers it.
 */
export type CustomerOutcomes = {
  kept: number;
  cameBack: number;
  lost: number;
  unknown: number;
  reasons: Record<string, number>;
};

export const noOutcomes = (): CustomerOutcomes => ({
  kept: 0,
  cameBack: 0,
  lost: 0,
  unknown: 0,
  reasons: {},
});

export function customerOutcomes(
  db: Db,
  ids: readonly string[],
  period: Period,
): PerDepartment<CustomerOutcomes> {
  const result = new Map(ids.map((id) => [id, noOutcomes()]));
  if (ids.length === 0) return result;
  const rows = stmt(
    db,
    `SELECT department_id AS d, outcome, reason, COUNT(*) AS n FROM customer_follow_ups
       WHERE outcome IS NOT NULL AND department_id IN ${inList(ids)} AND recorded_at >= ? AND recorded_at < ?
       GROUP BY department_id, outcome, reason`,
  ).all(...ids, period.start, period.end) as {
    d: string;
    outcome: string;
    reason: string | null;
    n: number;
  }[];
  for (const row of rows) {
    const o = result.get(row.d);
    if (!o) continue;
    if (row.outcome === 'kept' || row.outcome === 'came_back') o.kept += row.n;
    if (row.outcome === 'came_back') o.cameBack += row.n;
    if (row.outcome === 'unknown') o.unknown += row.n;
    if (row.outcome === 'lost') {
      o.lost += row.n;
      const reason = row.reason ?? 'other';
      o.reasons[reason] = (o.reasons[reason] ?? 0) + row.n;
    }
  }
  return result;
}

/** `customers_kept_rate`: kept / every outcome recorded (kept, lost, unknown), in percent; undefined when none. */
export function customersKeptRate(o: CustomerOutcomes): number | undefined {
  const all = o.kept + o.lost + o.unknown;
  return all === 0 ? undefined : (o.kept / all) * 100;
}

/**
 * Of these items, those whose customer was lost (a follow-up of any of the customer's items answered **Left**):
 * the theme impact score's `customerLost`. Index lookups per item (`customer_follow_ups_lost`), in slices.
 */
export function itemsWithLostCustomer(db: Db, itemIds: readonly number[]): Set<number> {
  const lost = new Set<number>();
  for (let i = 0; i < itemIds.length; i += 500) {
    const slice = itemIds.slice(i, i + 500);
    const rows = stmt(
      db,
      `SELECT f.id FROM feedback_items f WHERE f.id IN (${marks(slice.length)}) AND f.customer_id IS NOT NULL
         AND EXISTS (SELECT 1 FROM customer_follow_ups u WHERE u.customer_id = f.customer_id AND u.outcome = 'lost')`,
    )
      .pluck()
      .all(...slice) as number[];
    for (const id of rows) lost.add(id);
  }
  return lost;
}
