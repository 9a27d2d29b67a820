import type { Db } from '../store/db.js';
import type { Period } from './team-numbers.js';

/**
 * Every number the manager digest shows for a set of departments over one period, computed with a few grouped
 * SQL queries over indexed columns (department + time), never by loading all items or kudos. The result is per
 * department, so a digest run computes each period once and every manager picks their own departments.
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
  received: number;
  resolved: number;
  /**
   * Items received before the period ended and not resolved by then, read from the items' current state: open
   * now, or resolved only after the period ended (an item resolved in the period and reopened later counts
   * as open; a digest is computed right after its period, so that is rare).
   */
  openAtEnd: number;
  byKind: Record<string, number>;
  bySeverity: Record<string, number>;
  /** Receipt to the first acknowledgement in the period, for items acknowledged in it (ms, one per item). */
  acknowledgeMs: number[];
  /** Receipt to resolution, for items resolved in the period. */
  resolveMs: number[];
  /** SLA deadlines (acknowledge or resolve) that passed in the period with the item escalated to its leads. */
  slaBreaches: number;
  /** Routing keywords seen in the period's feedback, most frequent first. */
  themes: { term: string; count: number }[];
  /** Customers flagged at risk by feedback filed in the period. */
  atRisk: AtRiskCustomer[];
  kudosReceived: number;
  kudosGiven: number;
  /** Kudos the department's people received from people of other departments. */
  kudosFromOtherTeams: number;
  /** Kudos the department's people gave to people of other departments. */
  kudosToOtherTeams: number;
  /** Company values named in kudos the department received. */
  values: Record<string, number>;
  /** The latest kudos the department's people received (newest first), for the digest's highlights. */
  recentKudos: { kudosId: number; createdAt: number }[];
};

export function emptyDepartmentWeek(): DepartmentWeek {
  return {
    received: 0,
    resolved: 0,
    openAtEnd: 0,
    byKind: {},
    bySeverity: {},
    acknowledgeMs: [],
    resolveMs: [],
    slaBreaches: 0,
    themes: [],
    atRisk: [],
    kudosReceived: 0,
    kudosGiven: 0,
    kudosFromOtherTeams: 0,
    kudosToOtherTeams: 0,
    values: {},
    recentKudos: [],
  };
}

/** Routing labels that are regular expressions ("/inv\d+/") are not themes a manager can read. */
const NOT_A_PATTERN = `j.value NOT GLOB '*[\\^$()[|+?{]*'`;

/** How many of a department's latest kudos a week keeps for highlights. */
const RECENT_KUDOS = 3;

/** The departments of a stored JSON list that the result covers (others are not asked about). */
function departmentsIn(list: string, wanted: ReadonlyMap<string, unknown>): string[] {
  return (JSON.parse(list) as string[]).filter((d) => wanted.has(d));
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

export function departmentWeeks(
  db: Db,
  departmentIds: readonly string[],
  period: Period,
  detail: 'full' | 'headline' = 'full',
): Map<string, DepartmentWeek> {
  const result = new Map<string, DepartmentWeek>(departmentIds.map((id) => [id, emptyDepartmentWeek()]));
  if (departmentIds.length === 0) return result;
  const ids = [...departmentIds];
  const inIds = `(${marks(ids.length)})`;
  const { start, end } = period;
  const week = (id: string) => result.get(id) as DepartmentWeek;

  const mix = db
    .prepare(
      `SELECT department_id AS d, kind, severity, COUNT(*) AS n FROM feedback_items
       WHERE department_id IN ${inIds} AND created_at >= ? AND created_at < ?
       GROUP BY department_id, kind, severity`,
    )
    .all(...ids, start, end) as { d: string; kind: string; severity: string; n: number }[];
  for (const row of mix) {
    const w = week(row.d);
    w.received += row.n;
    w.byKind[row.kind] = (w.byKind[row.kind] ?? 0) + row.n;
    w.bySeverity[row.severity] = (w.bySeverity[row.severity] ?? 0) + row.n;
  }

  // Acknowledged and resolved come from the history: an item reopened or acknowledged again later does not
  // rewrite a week that has passed, and each change counts for the department that owned the item then.
  // Time is from receipt to the item's first event of that kind inside the period.
  const firstReached = (status: 'acknowledged' | 'resolved') =>
    db
      .prepare(
        `SELECT department_id AS d, MIN(at) - item_created_at AS ms FROM feedback_events
         WHERE to_status = ? AND at >= ? AND at < ? AND department_id IN ${inIds}
         GROUP BY item_id`,
      )
      .all(status, start, end, ...ids) as { d: string; ms: number }[];
  for (const row of firstReached('acknowledged')) week(row.d).acknowledgeMs.push(Math.max(0, row.ms));
  for (const row of firstReached('resolved')) {
    const w = week(row.d);
    w.resolved += 1;
    w.resolveMs.push(Math.max(0, row.ms));
  }

  // Open at the end: still open now, or resolved only after the period ended (both from partial indexes).
  const openNow = db
    .prepare(
      `SELECT department_id AS d, COUNT(*) AS n FROM feedback_items
       WHERE department_id IN ${inIds} AND status <> 'resolved' AND created_at < ? GROUP BY department_id`,
    )
    .all(...ids, end) as { d: string; n: number }[];
  const resolvedLater = db
    .prepare(
      `SELECT department_id AS d, COUNT(*) AS n FROM feedback_items
       WHERE department_id IN ${inIds} AND resolved_at >= ? AND status = 'resolved' AND created_at < ?
       GROUP BY department_id`,
    )
    .all(...ids, end, end) as { d: string; n: number }[];
  for (const row of [...openNow, ...resolvedLater]) week(row.d).openAtEnd += row.n;

  // One 'leads' escalation is one missed deadline, counted for the department that owned the item then.
  const breaches = db
    .prepare(
      `SELECT department_id AS d, COUNT(*) AS n FROM feedback_escalations
       WHERE level = 'leads' AND department_id IN ${inIds} AND due_at >= ? AND due_at < ?
       GROUP BY department_id`,
    )
    .all(...ids, start, end) as { d: string; n: number }[];
  for (const row of breaches) week(row.d).slaBreaches = row.n;

  // Kudos: one ledger row per recipient; withdrawn rows (revoked_at) never count. Each side (the recipients'
  // departments, the givers') is counted the same way, with how many of its rows crossed department lines.
  // Grouped by the stored department lists themselves (a handful of distinct lists) and split here, which
  // reads the covering index alone instead of expanding every row's JSON in SQL.
  const bySide = (column: 'recipient_departments' | 'giver_departments') =>
    db
      .prepare(
        `SELECT ${column} AS list, COUNT(*) AS n, SUM(cross_department) AS crossing FROM kudos_ledger
         WHERE revoked_at IS NULL AND created_at >= ? AND created_at < ? GROUP BY ${column}`,
      )
      .all(start, end) as { list: string; n: number; crossing: number }[];
  for (const row of bySide('recipient_departments')) {
    for (const d of departmentsIn(row.list, result)) {
      const w = week(d);
      w.kudosReceived += row.n;
      w.kudosFromOtherTeams += row.crossing;
    }
  }
  for (const row of bySide('giver_departments')) {
    for (const d of departmentsIn(row.list, result)) {
      const w = week(d);
      w.kudosGiven += row.n;
      w.kudosToOtherTeams += row.crossing;
    }
  }
  // Everything above makes the headline; the rest (themes, customers at risk, values, highlights) only the
  // week a digest is about needs, not the week it is compared with.
  if (detail === 'headline') return result;

  const themes = db
    .prepare(
      `SELECT f.department_id AS d, lower(j.value) AS term, COUNT(*) AS n
       FROM feedback_items f
       JOIN feedback_routing r ON r.item_id = f.id AND r.method = 'rules'
       JOIN json_each(r.matched) j
       WHERE f.department_id IN ${inIds} AND f.created_at >= ? AND f.created_at < ? AND ${NOT_A_PATTERN}
       GROUP BY f.department_id, lower(j.value) ORDER BY n DESC, term`,
    )
    .all(...ids, start, end) as { d: string; term: string; n: number }[];
  for (const row of themes) week(row.d).themes.push({ term: row.term, count: row.n });

  // With one MAX() in the query, SQLite takes the bare columns (where it was posted) from the latest item's row.
  const atRisk = db
    .prepare(
      `SELECT department_id AS d, customer_id AS customerId, COUNT(*) AS complaints, MAX(id) AS latestItemId,
              post_channel_id AS postChannelId, post_ts AS postTs
       FROM feedback_items
       WHERE department_id IN ${inIds} AND created_at >= ? AND created_at < ? AND customer_at_risk = 1
         AND customer_id IS NOT NULL
       GROUP BY department_id, customer_id ORDER BY complaints DESC, latestItemId DESC`,
    )
    .all(...ids, start, end) as ({ d: string; postChannelId: string | null; postTs: string | null } & Omit<
    AtRiskCustomer,
    'postChannelId' | 'postTs'
  >)[];
  for (const { d, postChannelId, postTs, ...customer } of atRisk)
    week(d).atRisk.push({
      ...customer,
      postChannelId: postChannelId ?? undefined,
      postTs: postTs ?? undefined,
    });

  const values = db
    .prepare(
      `SELECT recipient_departments AS list, value_ids AS valueIds, COUNT(*) AS n FROM kudos_ledger
       WHERE revoked_at IS NULL AND created_at >= ? AND created_at < ? AND value_ids <> '[]'
       GROUP BY recipient_departments, value_ids`,
    )
    .all(start, end) as { list: string; valueIds: string; n: number }[];
  for (const row of values) {
    for (const d of departmentsIn(row.list, result)) {
      const w = week(d);
      for (const value of JSON.parse(row.valueIds) as string[])
        w.values[value] = (w.values[value] ?? 0) + row.n;
    }
  }

  // Newest first from the time index, stopping after a few matches per department (not a scan of the week).
  // Only kudos with a reason make a highlight (a reaction kudos has none to quote).
  const recent = db.prepare(
    `SELECT l.kudos_id AS kudosId, l.created_at AS createdAt FROM kudos_ledger l
     WHERE l.revoked_at IS NULL AND l.created_at >= ? AND l.created_at < ?
       AND EXISTS (SELECT 1 FROM json_each(l.recipient_departments) j WHERE j.value = ?)
       AND EXISTS (SELECT 1 FROM kudos k WHERE k.id = l.kudos_id AND trim(k.reason) <> '')
     ORDER BY l.created_at DESC LIMIT ?`,
  );
  for (const id of ids) {
    const seen = new Set<number>();
    for (const row of recent.all(start, end, id, RECENT_KUDOS * 4) as {
      kudosId: number;
      createdAt: number;
    }[]) {
      if (seen.has(row.kudosId) || seen.size >= RECENT_KUDOS) continue;
      seen.add(row.kudosId);
      week(id).recentKudos.push(row);
    }
  }

  return result;
}

export type TrendCounts = { received: number[]; resolved: number[]; kudos: number[] };

/** Received, resolved and kudos received per period, per department: the digest's eight-week picture. */
export function departmentTrend(
  db: Db,
  departmentIds: readonly string[],
  periods: readonly Period[],
): Map<string, TrendCounts> {
  const zeros = () => periods.map(() => 0);
  const result = new Map<string, TrendCounts>(
    departmentIds.map((id) => [id, { received: zeros(), resolved: zeros(), kudos: zeros() }]),
  );
  if (departmentIds.length === 0) return result;
  const ids = [...departmentIds];
  const inIds = `(${marks(ids.length)})`;
  const receivedQuery = db.prepare(
    `SELECT department_id AS d, COUNT(*) AS n FROM feedback_items
     WHERE department_id IN ${inIds} AND created_at >= ? AND created_at < ? GROUP BY department_id`,
  );
  const resolvedQuery = db.prepare(
    `SELECT department_id AS d, COUNT(DISTINCT item_id) AS n FROM feedback_events
     WHERE to_status = 'resolved' AND at >= ? AND at < ? AND department_id IN ${inIds}
     GROUP BY department_id`,
  );
  const kudosQuery = db.prepare(
    `SELECT recipient_departments AS list, COUNT(*) AS n FROM kudos_ledger
     WHERE revoked_at IS NULL AND created_at >= ? AND created_at < ? GROUP BY recipient_departments`,
  );
  periods.forEach(({ start, end }, i) => {
    for (const row of receivedQuery.all(...ids, start, end) as { d: string; n: number }[])
      (result.get(row.d) as TrendCounts).received[i] = row.n;
    for (const row of resolvedQuery.all(start, end, ...ids) as { d: string; n: number }[])
      (result.get(row.d) as TrendCounts).resolved[i] = row.n;
    for (const row of kudosQuery.all(start, end) as { list: string; n: number }[]) {
      for (const d of departmentsIn(row.list, result)) {
        const counts = result.get(d) as TrendCounts;
        counts.kudos[i] = (counts.kudos[i] ?? 0) + row.n;
      }
    }
  });
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
  const rows = db
    .prepare(
      `SELECT k.id, k.giver_id, k.reason, k.value_ids, k.created_at, k.post_channel_id, k.post_ts,
              (SELECT json_group_array(l.recipient_id) FROM kudos_ledger l
               WHERE l.kudos_id = k.id AND l.revoked_at IS NULL) AS recipients
       FROM kudos k WHERE k.id IN (${marks(kudosIds.length)})
       ORDER BY k.created_at DESC, k.id DESC`,
    )
    .all(...kudosIds) as {
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
  const received = db
    .prepare(
      'SELECT 1 FROM kudos_ledger WHERE recipient_id = ? AND created_at >= ? AND revoked_at IS NULL LIMIT 1',
    )
    .pluck();
  return userIds.filter((id) => received.get(id, since) === undefined);
}

export type OpenItem = {
  id: number;
  departmentId: string;
  severity: string;
  kind: string;
  status: string;
  createdAt: number;
  postChannelId: string | undefined;
  postTs: string | undefined;
};

/**
 * A customer's complaints (items of kind complaint, in any department) in the `days` before `end`, the window
 * the at-risk mark counts, and since `weekStart`: what the digest says about a customer at risk.
 */
export function customerComplaints(
  db: Db,
  customerId: number,
  q: { end: number; days: number; weekStart: number },
): { inWindow: number; thisWeek: number } {
  const windowStart = q.end - q.days * 24 * 3_600_000;
  const row = db
    .prepare(
      `SELECT COALESCE(SUM(created_at >= ?), 0) AS inWindow, COALESCE(SUM(created_at >= ?), 0) AS thisWeek
       FROM feedback_items WHERE customer_id = ? AND kind = 'complaint' AND created_at >= ? AND created_at < ?`,
    )
    .get(windowStart, q.weekStart, customerId, Math.min(windowStart, q.weekStart), q.end) as {
    inWindow: number;
    thisWeek: number;
  };
  return row;
}

/** How many items are open now in each of these departments (index counts on the partial "open" index). */
export function openItemCounts(db: Db, departmentIds: readonly string[]): Map<string, number> {
  const query = db
    .prepare(`SELECT COUNT(*) FROM feedback_items WHERE department_id = ? AND status <> 'resolved'`)
    .pluck();
  return new Map(departmentIds.map((id) => [id, query.get(id) as number]));
}

/** The oldest items still open in these departments (no customer details: the digest leaves the channel). */
export function oldestOpenItems(db: Db, departmentIds: readonly string[], limit: number): OpenItem[] {
  // One indexed query per department (oldest first from the partial "open" index), then merged.
  const query = db.prepare(
    `SELECT id, department_id, severity, kind, status, created_at, post_channel_id, post_ts FROM feedback_items
     WHERE department_id = ? AND status <> 'resolved' ORDER BY created_at, id LIMIT ?`,
  );
  const rows = departmentIds
    .flatMap(
      (id) =>
        query.all(id, limit) as {
          id: number;
          department_id: string;
          severity: string;
          kind: string;
          status: string;
          created_at: number;
          post_channel_id: string | null;
          post_ts: string | null;
        }[],
    )
    .sort((a, b) => a.created_at - b.created_at || a.id - b.id)
    .slice(0, limit);
  return rows.map((r) => ({
    id: r.id,
    departmentId: r.department_id,
    severity: r.severity,
    kind: r.kind,
    status: r.status,
    createdAt: r.created_at,
    postChannelId: r.post_channel_id ?? undefined,
    postTs: r.post_ts ?? undefined,
  }));
}

export type SharedKudos = { recipients: string[]; givers: string[]; crossing: boolean; values: string[] };

/**
 * Ledger rows of the period whose giver or recipient belongs to more than one department: per-department counts
 * include them once per department, so a manager of several of those departments subtracts the repeats.
 */
export function sharedKudos(db: Db, period: Period): SharedKudos[] {
  const rows = db
    .prepare(
      `SELECT recipient_departments, giver_departments, cross_department, value_ids FROM kudos_ledger
       WHERE revoked_at IS NULL AND created_at >= ? AND created_at < ?
         AND (json_array_length(recipient_departments) > 1 OR json_array_length(giver_departments) > 1)`,
    )
    .all(period.start, period.end) as {
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
