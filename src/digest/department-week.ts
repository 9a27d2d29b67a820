import {
  arrivals,
  type ContactMix,
  contactMix,
  type FirstTimeRight,
  firstChanges,
  handoffs,
  kudosCounts,
  kudosReceived,
  NO_FIRST_TIME_RIGHT,
  openAtEnd,
  type Period,
  passedOnItems,
  received,
  reopenedItems,
  resolved,
  slaBreaches,
  themes,
} from '../metrics/numbers.js';
import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';
import { emptyWeekPart, joinWeekParts, RECENT_ROWS, type WeekPart, type WeekParts } from './week-parts.js';

/**
 * What the manager digest shows for a set of departments over one period: the team numbers (read from
 * src/metrics/numbers.ts, the one definition every surface shares) and the lists only the digest shows (kinds
 * and severities, themes, customers at risk, values, highlights), each with a few grouped SQL queries over
 * indexed columns, never by loading all items or kudos. The result is per department, so a digest run computes
 * each period once and every manager picks their own departments.
 */

export type AtRiskCustomer = {
  customerId: number;
  /** Items of the period filed for the customer while at risk (the flagged ones). */
  complaints: number;
  latestItemId: number;
  /** Where the latest of those items was posted, to link it. */
  postChannelId: string | undefined;
  postTs: string | undefined;
};

export type DepartmentWeek = {
  /** The numbers below are defined in src/metrics/numbers.ts (same names there). */
  received: number;
  resolved: number;
  openAtEnd: number;
  byKind: Record<string, number>;
  bySeverity: Record<string, number>;
  acknowledgeMs: number[];
  resolveMs: number[];
  slaBreaches: number;
  /** Routing keywords seen in the period's feedback, most frequent first. */
  themes: { term: string; count: number }[];
  /** Customers flagged at risk by feedback filed in the period. */
  atRisk: AtRiskCustomer[];
  kudosReceived: number;
  kudosGiven: number;
  kudosFromOtherTeams: number;
  kudosToOtherTeams: number;
  /** Company values named in kudos the department received. */
  values: Record<string, number>;
  /** The latest kudos the department's people received (newest first), for the digest's highlights. */
  recentKudos: { kudosId: number; createdAt: number }[];
  firstTimeRight: FirstTimeRight;
  contactMix: ContactMix;
};

export function emptyDepartmentWeek(): DepartmentWeek {
  const {
    arrivals,
    acknowledged,
    resolvedFirst,
    reopenedItems,
    passedOnItems,
    handoffs,
    recentRows,
    ...counts
  } = emptyWeekPart();
  return {
    ...counts,
    received: 0,
    resolved: 0,
    openAtEnd: 0,
    acknowledgeMs: [],
    resolveMs: [],
    recentKudos: [],
    firstTimeRight: { ...NO_FIRST_TIME_RIGHT },
  };
}

/** The departments of a stored JSON list that the result covers (others are not asked about). */
function departmentsIn(list: string, wanted: ReadonlyMap<string, unknown>): string[] {
  return (JSON.parse(list) as string[]).filter((d) => wanted.has(d));
}

type Weeks = Map<string, DepartmentWeek>;

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

type Query = { db: Db; ids: string[]; period: Period; week: (id: string) => WeekPart };

/** The numbers read from the history, as src/metrics/numbers.ts defines them for every surface. */
function fillEvents({ db, ids, period, week }: Query): void {
  const numbers = {
    arrivals: arrivals(db, ids, period),
    acknowledged: firstChanges(db, ids, period, 'acknowledged'),
    resolved: firstChanges(db, ids, period, 'resolved'),
  };
  for (const id of ids) {
    const w = week(id);
    w.arrivals = numbers.arrivals.get(id) ?? new Set();
    w.acknowledged = numbers.acknowledged.get(id) ?? new Map();
    w.resolvedFirst = numbers.resolved.get(id) ?? new Map();
  }
}

function fillBreaches({ db, ids, period, week }: Query): void {
  const breaches = slaBreaches(db, ids, period);
  for (const id of ids) week(id).slaBreaches = breaches.get(id) ?? 0;
}

function fillKudos({ db, ids, period, week }: Query): void {
  const received = kudosCounts(db, ids, period, 'received');
  const given = kudosCounts(db, ids, period, 'given');
  for (const id of ids) {
    const w = week(id);
    w.kudosReceived = received.get(id)?.all ?? 0;
    w.kudosFromOtherTeams = received.get(id)?.crossing ?? 0;
    w.kudosGiven = given.get(id)?.all ?? 0;
    w.kudosToOtherTeams = given.get(id)?.crossing ?? 0;
  }
}

/** The items and counts behind the first-time-right rates (the items received and resolved are filled above). */
function fillFirstTimeRight({ db, ids, period, week }: Query): void {
  const counts = {
    reopened: reopenedItems(db, ids, period),
    passedOn: passedOnItems(db, ids, period),
    handoffs: handoffs(db, ids, period),
  };
  for (const id of ids) {
    const w = week(id);
    w.reopenedItems = counts.reopened.get(id) ?? new Set();
    w.passedOnItems = counts.passedOn.get(id) ?? new Set();
    w.handoffs = counts.handoffs.get(id) ?? { resolutions: 0, handoffs: 0 };
  }
}

/** What the items filed in the period were (a digest-only breakdown of the items the departments hold). */
function fillMix({ db, ids, period, week }: Query): void {
  const mix = stmt(
    db,
    `SELECT department_id AS d, kind, severity, COUNT(*) AS n FROM feedback_items
       WHERE department_id IN (${marks(ids.length)}) AND created_at >= ? AND created_at < ?
       GROUP BY department_id, kind, severity`,
  ).all(...ids, period.start, period.end) as { d: string; kind: string; severity: string; n: number }[];
  for (const row of mix) {
    const w = week(row.d);
    w.byKind[row.kind] = (w.byKind[row.kind] ?? 0) + row.n;
    w.bySeverity[row.severity] = (w.bySeverity[row.severity] ?? 0) + row.n;
  }
}

/** Customers at risk with a complaint in the period, most complaints first, linked to their latest item. */
function fillAtRisk({ db, ids, period, week }: Query): void {
  // With one MAX() in the query, SQLite takes the bare columns (where it was posted) from the latest item's row.
  const atRisk = stmt(
    db,
    `SELECT department_id AS d, customer_id AS customerId, COUNT(*) AS complaints, MAX(id) AS latestItemId,
              post_channel_id AS postChannelId, post_ts AS postTs
       FROM feedback_items
       WHERE department_id IN (${marks(ids.length)}) AND created_at >= ? AND created_at < ? AND customer_at_risk = 1
         AND customer_id IS NOT NULL
       GROUP BY department_id, customer_id ORDER BY complaints DESC, latestItemId DESC`,
  ).all(...ids, period.start, period.end) as ({
    d: string;
    postChannelId: string | null;
    postTs: string | null;
  } & Omit<AtRiskCustomer, 'postChannelId' | 'postTs'>)[];
  for (const { d, postChannelId, postTs, ...customer } of atRisk)
    week(d).atRisk.push({
      ...customer,
      postChannelId: postChannelId ?? undefined,
      postTs: postTs ?? undefined,
    });
}

/**
 * The company values the departments' people were thanked for. The kudos reads here name the index that holds the
 * department lists (and values): without statistics SQLite took kudos_ledger_created_recipient, reading each row.
 */
function fillValues({ db, period, week }: Query, result: WeekParts): void {
  const values = stmt(
    db,
    `SELECT recipient_departments AS list, value_ids AS valueIds, COUNT(*) AS n
       FROM kudos_ledger INDEXED BY kudos_ledger_created_departments
       WHERE revoked_at IS NULL AND created_at >= ? AND created_at < ? AND value_ids <> '[]'
       GROUP BY recipient_departments, value_ids`,
  ).all(period.start, period.end) as { list: string; valueIds: string; n: number }[];
  for (const row of values) {
    for (const d of departmentsIn(row.list, result)) {
      const w = week(d);
      for (const value of JSON.parse(row.valueIds) as string[])
        w.values[value] = (w.values[value] ?? 0) + row.n;
    }
  }
}

/**
 * A few recent kudos to quote: newest first from the time index, stopping after a few matches per department
 * (not a scan of the week). Only kudos with a reason make a highlight (a reaction kudos has none to quote).
 */
function fillRecentKudos({ db, ids, period, week }: Query): void {
  const recent = stmt(
    db,
    `SELECT l.kudos_id AS kudosId, l.created_at AS createdAt FROM kudos_ledger l INDEXED BY kudos_ledger_created_departments
     WHERE l.revoked_at IS NULL AND l.created_at >= ? AND l.created_at < ?
       AND EXISTS (SELECT 1 FROM json_each(l.recipient_departments) j WHERE j.value = ?)
       AND EXISTS (SELECT 1 FROM kudos k WHERE k.id = l.kudos_id AND trim(k.reason) <> '')
     ORDER BY l.created_at DESC LIMIT ?`,
  );
  for (const id of ids) {
    week(id).recentRows = recent.all(period.start, period.end, id, RECENT_ROWS) as {
      kudosId: number;
      createdAt: number;
    }[];
  }
}

/**
 * What can change in a closed period's parts after the fact, each counted again on its own (the digest preview
 * keeps closed pieces: period-pieces.ts): what is read from the items (where they are now, how customers reached
 * us), the kudos (withdrawn later), the breaches (recorded late). The rest is read from the history, which only
 * grows at its end.
 */
export type PartsThatMove = 'items' | 'kudos' | 'breaches';

function fillMoving(query: Query, parts: WeekParts, what: PartsThatMove, detail: 'full' | 'headline'): void {
  const { ids, week } = query;
  if (what === 'breaches') {
    fillBreaches(query);
    return;
  }
  if (what === 'kudos') {
    fillKudos(query);
    if (detail === 'headline') return;
    for (const id of ids) week(id).values = {};
    fillValues(query, parts);
    fillRecentKudos(query);
    return;
  }
  for (const id of ids)
    Object.assign(week(id), { byKind: {}, bySeverity: {}, themes: [], contactMix: [], atRisk: [] });
  fillMix(query);
  if (detail === 'headline') return;
  for (const [id, list] of themes(query.db, ids, query.period)) week(id).themes.push(...list);
  for (const [id, mix] of contactMix(query.db, ids, query.period)) week(id).contactMix = mix;
  fillAtRisk(query);
}

const queryOf = (db: Db, parts: WeekParts, period: Period): Query => ({
  db,
  ids: [...parts.keys()],
  period,
  week: (id) => parts.get(id) as WeekPart,
});

/** Count again, in parts counted before, what may have moved since (the rest stays as counted). */
export function recountWeekParts(
  db: Db,
  parts: WeekParts,
  period: Period,
  detail: 'full' | 'headline',
  what: PartsThatMove,
): void {
  if (parts.size > 0) fillMoving(queryOf(db, parts, period), parts, what, detail);
}

/** One period's parts of the departments' weeks (`headline`: only what a headline needs). */
export function weekParts(
  db: Db,
  departmentIds: readonly string[],
  period: Period,
  detail: 'full' | 'headline' = 'full',
): WeekParts {
  const result: WeekParts = new Map(departmentIds.map((id) => [id, emptyWeekPart()]));
  if (departmentIds.length === 0) return result;
  const query = queryOf(db, result, period);
  fillEvents(query);
  fillFirstTimeRight(query);
  // Everything but the themes, contact mix, customers at risk, values and highlights makes the headline: those
  // only the week a digest is about needs, not the week it is compared with.
  for (const what of ['items', 'kudos', 'breaches'] as const) fillMoving(query, result, what, detail);
  return result;
}

/**
 * What weekParts counts, as steps of a few queries each, for a caller that gives the event loop back between
 * them (the weekly digest run: digest/sliced-counts.ts): each department's own queries one department at a time,
 * then the reads of the period's kudos, which read the same rows however many departments are asked about (so
 * once for all). Run in order, the steps fill `parts` with exactly what weekParts gives.
 */
export function weekPartSteps(
  db: Db,
  departmentIds: readonly string[],
  period: Period,
  detail: 'full' | 'headline' = 'full',
): { parts: WeekParts; steps: (() => void)[] } {
  const parts: WeekParts = new Map(departmentIds.map((id) => [id, emptyWeekPart()]));
  const all = queryOf(db, parts, period);
  const one = (id: string): Query => ({ ...all, ids: [id] });
  const steps = departmentIds.map((id) => () => {
    const query = one(id);
    fillEvents(query);
    fillFirstTimeRight(query);
    fillMoving(query, parts, 'items', detail);
    fillBreaches(query);
  });
  if (departmentIds.length === 0) return { parts, steps };
  steps.push(() => fillKudos(all));
  if (detail === 'full') {
    steps.push(() => fillValues(all, parts));
    steps.push(...departmentIds.map((id) => () => fillRecentKudos(one(id))));
  }
  return { parts, steps };
}

export function departmentWeeks(
  db: Db,
  departmentIds: readonly string[],
  period: Period,
  detail: 'full' | 'headline' = 'full',
): Weeks {
  const parts = weekParts(db, departmentIds, period, detail);
  return joinWeekParts(departmentIds, [parts], openAtEnd(db, departmentIds, period));
}

export type TrendCounts = { received: number[]; resolved: number[]; kudos: number[] };

/** Received, resolved and kudos received per period, per department: the digest's eight-week picture. */
export function departmentTrend(
  db: Db,
  departmentIds: readonly string[],
  periods: readonly Period[],
): Map<string, TrendCounts> {
  const result = new Map<string, TrendCounts>(
    departmentIds.map((id) => [id, { received: [], resolved: [], kudos: [] }]),
  );
  for (const period of periods) {
    const counts = {
      received: received(db, departmentIds, period),
      resolved: resolved(db, departmentIds, period),
      kudos: kudosReceived(db, departmentIds, period),
    };
    for (const [id, trend] of result) {
      trend.received.push(counts.received.get(id) ?? 0);
      trend.resolved.push(counts.resolved.get(id) ?? 0);
      trend.kudos.push(counts.kudos.get(id) ?? 0);
    }
  }
  return result;
}

export type KudosHighlight = {
  kudosId: number;
  giverId: string;
  recipientIds: string[];
  reason: string;
  valueIds: string[];
  createdAt: number;
  postChannelId: string | undefined;
  postTs: string | undefined;
};

/** The kudos behind highlight ids: giver, reason, values and every (still counted) recipient. */
export function kudosHighlights(db: Db, kudosIds: readonly number[]): KudosHighlight[] {
  if (kudosIds.length === 0) return [];
  const rows = stmt(
    db,
    `SELECT k.id, k.giver_id, k.reason, k.value_ids, k.created_at, k.post_channel_id, k.post_ts,
              (SELECT json_group_array(l.recipient_id) FROM kudos_ledger l
               WHERE l.kudos_id = k.id AND l.revoked_at IS NULL) AS recipients
       FROM kudos k WHERE k.id IN (${marks(kudosIds.length)})
       ORDER BY k.created_at DESC, k.id DESC`,
  ).all(...kudosIds) as {
    id: number;
    giver_id: string;
    reason: string;
    value_ids: string;
    created_at: number;
    post_channel_id: string | null;
    post_ts: string | null;
    recipients: string;
  }[];
  return rows.map((r) => ({
    kudosId: r.id,
    giverId: r.giver_id,
    recipientIds: JSON.parse(r.recipients) as string[],
    reason: r.reason,
    valueIds: JSON.parse(r.value_ids) as string[],
    createdAt: r.created_at,
    postChannelId: r.post_channel_id ?? undefined,
    postTs: r.post_ts ?? undefined,
  }));
}

/** Of these people, those who received no kudos since `since` (one indexed lookup each). */
export function unrecognisedSince(db: Db, userIds: readonly string[], since: number): string[] {
  const received = stmt(
    db,
    'SELECT 1 FROM kudos_ledger WHERE recipient_id = ? AND created_at >= ? AND revoked_at IS NULL LIMIT 1',
  ).pluck();
  return userIds.filter((id) => received.get(id, since) === undefined);
}

/**
 * Customers' complaints (items of kind complaint, in any department) in the `days` before `end`, the window the
 * at-risk mark counts, and since `weekStart`: what the digest says about each customer at risk. One grouped read of
 * the customers' index for all of them (a digest lists hundreds at a year of data).
 */
export function customerComplaints(
  db: Db,
  customerIds: readonly number[],
  q: { end: number; days: number; weekStart: number },
): Map<number, { inWindow: number; thisWeek: number }> {
  const result = new Map(customerIds.map((id) => [id, { inWindow: 0, thisWeek: 0 }]));
  const windowStart = q.end - q.days * 24 * 3_600_000;
  for (let i = 0; i < customerIds.length; i += 500) {
    const slice = customerIds.slice(i, i + 500);
    const rows = stmt(
      db,
      `SELECT customer_id AS id, COALESCE(SUM(created_at >= ?), 0) AS inWindow,
              COALESCE(SUM(created_at >= ?), 0) AS thisWeek
         FROM feedback_items WHERE customer_id IN (${marks(slice.length)}) AND kind = 'complaint'
           AND created_at >= ? AND created_at < ?
         GROUP BY customer_id`,
    ).all(windowStart, q.weekStart, ...slice, Math.min(windowStart, q.weekStart), q.end) as {
      id: number;
      inWindow: number;
      thisWeek: number;
    }[];
    for (const { id, ...counts } of rows) result.set(id, counts);
  }
  return result;
}

export type SharedKudos = { recipients: string[]; givers: string[]; crossing: boolean; values: string[] };

/**
 * Ledger rows of the period whose giver or recipient belongs to more than one department: per-department counts
 * include them once per department, so a manager of several of those departments subtracts the repeats.
 */
export function sharedKudos(db: Db, period: Period): SharedKudos[] {
  const rows = stmt(
    db,
    `SELECT recipient_departments, giver_departments, cross_department, value_ids
       FROM kudos_ledger INDEXED BY kudos_ledger_created_departments
       WHERE revoked_at IS NULL AND created_at >= ? AND created_at < ?
         AND (json_array_length(recipient_departments) > 1 OR json_array_length(giver_departments) > 1)`,
  ).all(period.start, period.end) as {
    recipient_departments: string;
    giver_departments: string;
    cross_department: number;
    value_ids: string;
  }[];
  return rows.map((r) => ({
    recipients: JSON.parse(r.recipient_departments) as string[],
    givers: JSON.parse(r.giver_departments) as string[],
    crossing: r.cross_department === 1,
    values: JSON.parse(r.value_ids) as string[],
  }));
}
