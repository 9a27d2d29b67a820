import {
  type ContactMix,
  type FirstChanges,
  type Handoffs,
  joinFirstChanges,
  type PerDepartment,
  type Theme,
  timesOf,
} from '../metrics/numbers.js';
import type { AtRiskCustomer, DepartmentWeek } from './department-week.js';

/**
 * A department's digest week as the join of the parts of the periods it is made of. The scheduled digests count
 * a closed week as one part; the `/loop digest` preview joins the closed hours and days of its week so far, kept
 * between previews, with the part still open, so only that part is counted again (period-pieces.ts). Joining
 * gives what counting the whole period gives: the numbers are those of src/metrics/numbers.ts, kept per item
 * where a number counts an item once per period (received, resolved, the times, reopened, passed on) and added
 * up where they add up (test/integration/digest-pieces.test.ts compares the join with the whole period).
 */

/** How many of a department's latest kudos a week keeps for highlights. */
export const RECENT_KUDOS = 3;
/** Ledger rows read to find them (one row per recipient, so a kudos may take several). */
export const RECENT_ROWS = RECENT_KUDOS * 4;

/**
 * One period's share of a department's week. How many items were open at the end is not a share of anything:
 * it is counted for the end of the whole period when the parts are joined.
 */
export type WeekPart = Omit<
  DepartmentWeek,
  'received' | 'resolved' | 'openAtEnd' | 'acknowledgeMs' | 'resolveMs' | 'recentKudos' | 'firstTimeRight'
> & {
  /** The items that reached the department (received counts them). */
  arrivals: Set<number>;
  acknowledged: FirstChanges;
  resolvedFirst: FirstChanges;
  /** The items reopened and passed on (first time right: reopened, passedOn count them). */
  reopenedItems: Set<number>;
  passedOnItems: Set<number>;
  /** Resolutions and their handoffs (they add up). */
  handoffs: Handoffs;
  /** The newest ledger rows with a reason the department's people received, newest first. */
  recentRows: { kudosId: number; createdAt: number }[];
};

export type WeekParts = Map<string, WeekPart>;

export function emptyWeekPart(): WeekPart {
  return {
    arrivals: new Set(),
    acknowledged: new Map(),
    resolvedFirst: new Map(),
    reopenedItems: new Set(),
    passedOnItems: new Set(),
    handoffs: { resolutions: 0, handoffs: 0 },
    byKind: {},
    bySeverity: {},
    slaBreaches: 0,
    themes: [],
    atRisk: [],
    kudosReceived: 0,
    kudosGiven: 0,
    kudosFromOtherTeams: 0,
    kudosToOtherTeams: 0,
    values: {},
    recentRows: [],
    contactMix: [],
  };
}

function addCounts(records: readonly Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const record of records)
    for (const [key, n] of Object.entries(record)) total[key] = (total[key] ?? 0) + n;
  return total;
}

/** Most frequent first, then by term, as the themes query orders them. */
function joinThemes(lists: readonly Theme[][]): Theme[] {
  const counts = addCounts(lists.map((list) => Object.fromEntries(list.map((t) => [t.term, t.count]))));
  return Object.entries(counts)
    .map(([term, count]) => ({ term, count }))
    .sort((a, b) => b.count - a.count || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
}

/** Complaints added up per customer, linked to the latest item of all; most complaints first. */
function joinAtRisk(lists: readonly AtRiskCustomer[][]): AtRiskCustomer[] {
  const byCustomer = new Map<number, AtRiskCustomer>();
  for (const customer of lists.flat()) {
    const known = byCustomer.get(customer.customerId);
    if (!known) byCustomer.set(customer.customerId, { ...customer });
    else {
      const latest = customer.latestItemId > known.latestItemId ? customer : known;
      byCustomer.set(customer.customerId, { ...latest, complaints: known.complaints + customer.complaints });
    }
  }
  return [...byCustomer.values()].sort(
    (a, b) => b.complaints - a.complaints || b.latestItemId - a.latestItemId,
  );
}

/** The newest rows over all parts (as one query over the whole period reads them), then a few distinct kudos. */
function recentKudosOf(lists: readonly WeekPart['recentRows'][]): DepartmentWeek['recentKudos'] {
  const rows =
    lists.length === 1
      ? (lists[0] ?? [])
      : lists
          .flat()
          .sort((a, b) => b.createdAt - a.createdAt || b.kudosId - a.kudosId)
          .slice(0, RECENT_ROWS);
  const seen = new Set<number>();
  const result: DepartmentWeek['recentKudos'] = [];
  for (const row of rows) {
    if (seen.has(row.kudosId) || seen.size >= RECENT_KUDOS) continue;
    seen.add(row.kudosId);
    result.push(row);
  }
  return result;
}

/** Most items first, then by channel, as the contact mix query orders them. */
function joinContactMix(lists: readonly ContactMix[]): ContactMix {
  const counts = new Map<string, number>();
  for (const list of lists)
    for (const [channel, n] of list) counts.set(channel, (counts.get(channel) ?? 0) + n);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** How many distinct items the sets hold together. */
function joinItems(sets: readonly Set<number>[]): number {
  if (sets.length === 1) return sets[0]?.size ?? 0;
  const all = new Set<number>();
  for (const set of sets) for (const item of set) all.add(item);
  return all.size;
}

function joinDepartment(parts: readonly WeekPart[], openAtEnd: number): DepartmentWeek {
  const sum = (pick: (p: WeekPart) => number) => parts.reduce((total, p) => total + pick(p), 0);
  const resolveMs = timesOf(joinFirstChanges(parts.map((p) => p.resolvedFirst)));
  const received = joinItems(parts.map((p) => p.arrivals));
  return {
    received,
    resolved: resolveMs.length,
    openAtEnd,
    byKind: addCounts(parts.map((p) => p.byKind)),
    bySeverity: addCounts(parts.map((p) => p.bySeverity)),
    acknowledgeMs: timesOf(joinFirstChanges(parts.map((p) => p.acknowledged))),
    resolveMs,
    slaBreaches: sum((p) => p.slaBreaches),
    themes: parts.length === 1 ? (parts[0]?.themes ?? []) : joinThemes(parts.map((p) => p.themes)),
    atRisk: parts.length === 1 ? (parts[0]?.atRisk ?? []) : joinAtRisk(parts.map((p) => p.atRisk)),
    kudosReceived: sum((p) => p.kudosReceived),
    kudosGiven: sum((p) => p.kudosGiven),
    kudosFromOtherTeams: sum((p) => p.kudosFromOtherTeams),
    kudosToOtherTeams: sum((p) => p.kudosToOtherTeams),
    values: addCounts(parts.map((p) => p.values)),
    recentKudos: recentKudosOf(parts.map((p) => p.recentRows)),
    firstTimeRight: {
      received,
      resolved: resolveMs.length,
      reopened: joinItems(parts.map((p) => p.reopenedItems)),
      passedOn: joinItems(parts.map((p) => p.passedOnItems)),
      resolutions: sum((p) => p.handoffs.resolutions),
      handoffs: sum((p) => p.handoffs.handoffs),
    },
    contactMix:
      parts.length === 1 ? (parts[0]?.contactMix ?? []) : joinContactMix(parts.map((p) => p.contactMix)),
  };
}

/**
 * The departments' weeks from the parts of the adjoining periods that make up the week (in time order), and
 * the items open at its end (numbers.ts openAtEnd for the week).
 */
export function joinWeekParts(
  departmentIds: readonly string[],
  parts: readonly WeekParts[],
  openAtEnd: PerDepartment<number>,
): Map<string, DepartmentWeek> {
  return new Map(
    departmentIds.map((id) => [
      id,
      joinDepartment(
        parts.map((p) => p.get(id) ?? emptyWeekPart()),
        openAtEnd.get(id) ?? 0,
      ),
    ]),
  );
}
