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
  const rows = lists.length === 1 ? (lists[0] ?? []) : newestRows(lists);
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

/** The newest rows of all parts, as many as one part keeps (the newest of a join are among each part's newest). */
function newestRows(lists: readonly WeekPart['recentRows'][]): WeekPart['recentRows'] {
  return lists
    .flat()
    .sort((a, b) => b.createdAt - a.createdAt || b.kudosId - a.kudosId)
    .slice(0, RECENT_ROWS);
}

function unionOf(sets: readonly Set<number>[]): Set<number> {
  const all = new Set<number>();
  for (const set of sets) for (const item of set) all.add(item);
  return all;
}

/**
 * Adjoining parts as one part: joining it with other parts gives what joining all the parts gives (every join
 * above is associative: first changes keep the earliest, sets unite, counts and lists add up, the newest rows
 * stay the newest). The preview keeps the join of its closed pieces (period-pieces.ts).
 */
export function joinParts(parts: readonly WeekPart[]): WeekPart {
  if (parts.length === 1) return parts[0] as WeekPart;
  return {
    ...addedUp(parts),
    arrivals: unionOf(parts.map((p) => p.arrivals)),
    acknowledged: joinFirstChanges(parts.map((p) => p.acknowledged)),
    resolvedFirst: joinFirstChanges(parts.map((p) => p.resolvedFirst)),
    reopenedItems: unionOf(parts.map((p) => p.reopenedItems)),
    passedOnItems: unionOf(parts.map((p) => p.passedOnItems)),
  };
}

/** A part without its items (what adds up, and the lists that join without them). */
type AddedUp = Omit<
  WeekPart,
  'arrivals' | 'acknowledged' | 'resolvedFirst' | 'reopenedItems' | 'passedOnItems'
>;

function addedUp(parts: readonly WeekPart[]): AddedUp {
  if (parts.length === 1) return parts[0] as WeekPart;
  const sum = (pick: (p: WeekPart) => number) => parts.reduce((total, p) => total + pick(p), 0);
  return {
    handoffs: { resolutions: sum((p) => p.handoffs.resolutions), handoffs: sum((p) => p.handoffs.handoffs) },
    byKind: addCounts(parts.map((p) => p.byKind)),
    bySeverity: addCounts(parts.map((p) => p.bySeverity)),
    slaBreaches: sum((p) => p.slaBreaches),
    themes: joinThemes(parts.map((p) => p.themes)),
    atRisk: joinAtRisk(parts.map((p) => p.atRisk)),
    kudosReceived: sum((p) => p.kudosReceived),
    kudosGiven: sum((p) => p.kudosGiven),
    kudosFromOtherTeams: sum((p) => p.kudosFromOtherTeams),
    kudosToOtherTeams: sum((p) => p.kudosToOtherTeams),
    values: addCounts(parts.map((p) => p.values)),
    recentRows: newestRows(parts.map((p) => p.recentRows)),
    contactMix: joinContactMix(parts.map((p) => p.contactMix)),
  };
}

/** The items a week counts once each, and their times. */
type WeekItems = {
  received: number;
  acknowledgeMs: number[];
  resolveMs: number[];
  reopened: number;
  passedOn: number;
};

/** A department's week from its parts added up and its items. */
function weekOf(part: AddedUp, items: WeekItems, openAtEnd: number): DepartmentWeek {
  // Field by field: a part passed whole (one piece) also holds its items, which a week does not keep.
  return {
    received: items.received,
    resolved: items.resolveMs.length,
    openAtEnd,
    byKind: part.byKind,
    bySeverity: part.bySeverity,
    acknowledgeMs: items.acknowledgeMs,
    resolveMs: items.resolveMs,
    slaBreaches: part.slaBreaches,
    themes: part.themes,
    atRisk: part.atRisk,
    kudosReceived: part.kudosReceived,
    kudosGiven: part.kudosGiven,
    kudosFromOtherTeams: part.kudosFromOtherTeams,
    kudosToOtherTeams: part.kudosToOtherTeams,
    values: part.values,
    recentKudos: recentKudosOf([part.recentRows]),
    firstTimeRight: {
      received: items.received,
      resolved: items.resolveMs.length,
      reopened: items.reopened,
      passedOn: items.passedOn,
      resolutions: part.handoffs.resolutions,
      handoffs: part.handoffs.handoffs,
    },
    contactMix: part.contactMix,
  };
}

/** A first-changes map's handling times (timesOf) and where each item's time is in them. */
type IndexedTimes = { times: number[]; index: Map<number, number> };

function indexedTimes(first: FirstChanges): IndexedTimes {
  const times = timesOf(first);
  const index = new Map<number, number>();
  let i = 0;
  for (const item of first.keys()) index.set(item, i++);
  return { times, index };
}

/** A kept join of closed pieces, with its times indexed so that joining it with a few more items is cheap. */
export type KeptJoin = { part: WeekPart; acknowledged: IndexedTimes; resolved: IndexedTimes };

export function keptJoin(parts: readonly WeekPart[]): KeptJoin {
  const part = joinParts(parts);
  return { part, acknowledged: indexedTimes(part.acknowledged), resolved: indexedTimes(part.resolvedFirst) };
}

/** How many distinct items a kept set and a few more hold together (without copying the kept set). */
function unitedSize(kept: Set<number>, more: Set<number>): number {
  let size = kept.size;
  for (const item of more) if (!kept.has(item)) size += 1;
  return size;
}

/** timesOf(joinFirstChanges([kept, more])) (as a multiset), from the kept times and the few more changes. */
function unitedTimes(kept: IndexedTimes, keptFirst: FirstChanges, more: FirstChanges): number[] {
  const times = kept.times.slice();
  for (const [item, change] of more) {
    const known = keptFirst.get(item);
    if (!known) times.push(Math.max(0, change.ms));
    else if (change.at < known.at) times[kept.index.get(item) as number] = Math.max(0, change.ms);
  }
  return times;
}

/** joinDepartment of a kept join and the parts counted now, reading the kept sets and times without copying them. */
function joinWithKept(kept: KeptJoin, fresh: readonly WeekPart[], openAtEnd: number): DepartmentWeek {
  if (fresh.length === 0) return joinDepartment([kept.part], openAtEnd);
  const more = joinParts(fresh);
  const k = kept.part;
  return weekOf(
    addedUp([k, more]),
    {
      received: unitedSize(k.arrivals, more.arrivals),
      acknowledgeMs: unitedTimes(kept.acknowledged, k.acknowledged, more.acknowledged),
      resolveMs: unitedTimes(kept.resolved, k.resolvedFirst, more.resolvedFirst),
      reopened: unitedSize(k.reopenedItems, more.reopenedItems),
      passedOn: unitedSize(k.passedOnItems, more.passedOnItems),
    },
    openAtEnd,
  );
}

/**
 * The departments' weeks from a kept join of their closed pieces (per department) and the pieces counted now;
 * the same as joinWeekParts of all the pieces.
 */
export function joinKeptWeekParts(
  departmentIds: readonly string[],
  kept: ReadonlyMap<string, KeptJoin>,
  fresh: readonly WeekParts[],
  openAtEnd: PerDepartment<number>,
): Map<string, DepartmentWeek> {
  return new Map(
    departmentIds.map((id) => {
      const parts = fresh.map((p) => p.get(id) ?? emptyWeekPart());
      const known = kept.get(id);
      const open = openAtEnd.get(id) ?? 0;
      return [id, known ? joinWithKept(known, parts, open) : joinDepartment(parts, open)];
    }),
  );
}

function joinDepartment(parts: readonly WeekPart[], openAtEnd: number): DepartmentWeek {
  const part = joinParts(parts);
  return weekOf(
    part,
    {
      received: part.arrivals.size,
      acknowledgeMs: timesOf(part.acknowledged),
      resolveMs: timesOf(part.resolvedFirst),
      reopened: part.reopenedItems.size,
      passedOn: part.passedOnItems.size,
    },
    openAtEnd,
  );
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
