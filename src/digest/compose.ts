import type { Department, Manager } from '../config/org-schema.js';
import { inOneSlice, type Slicer } from '../jobs/slicer.js';
import {
  addFirstTimeRight,
  changedSince,
  customerPraiseLists,
  customerPraiseOfTeams,
  type FirstTimeRight,
  medianTime,
  openNow,
  type Period,
  RECURRING,
} from '../metrics/numbers.js';
import { type OpenItem, oldestOpenItems } from '../metrics/open-items.js';
import {
  before,
  figuresByDepartment,
  type OutcomeFigures,
  type OutcomeReport,
  reportOf,
} from '../metrics/outcome-report.js';
import type { Db } from '../store/db.js';
import { addThemeSums, themeSumsByDepartment } from '../themes/department-theme-sums.js';
import { leadThemes } from '../themes/lead-blocks.js';
import { addWeeklyCounts, type ThemeSums, weeklyCountsByDepartment } from '../themes/theme-totals.js';
import type { CountedThemes, TopTheme } from '../themes/top-themes.js';
import {
  type AtRiskCustomer,
  customerComplaints,
  type DepartmentWeek,
  departmentTrend,
  departmentWeeks,
  emptyDepartmentWeek,
  type KudosHighlight,
  kudosHighlights,
  type SharedKudos,
  sharedKudos,
  type TrendCounts,
  unrecognisedSince,
} from './department-week.js';
import type { PeriodPieces } from './period-pieces.js';
import { type DigestSatisfaction, digestSatisfaction } from './satisfaction.js';
import {
  departmentWeeksInSlices,
  outcomesInSlices,
  themeIdsOf,
  themeRunInSlices,
  trendWeekInSlices,
} from './sliced-counts.js';

/**
 * A manager's digest as data: the numbers for the departments that manager sees, the same numbers for the
 * previous week, and the eight-week trend. Pure over the database (no Slack); render.ts turns it into blocks.
 */

export const TREND_WEEKS = 8;
const OLDEST_OPEN = 5;
const HIGHLIGHTS = 3;
const TOP = 5;
/**
 * How long a run's count of the themes per department serves its digests. Unlike the other numbers, a closed
 * week's themes move afterwards (a regroup, an item resolved or a customer lost later): a run shares one count,
 * and digests composed later count again.
 */
export const THEME_RUN_MS = 10 * 60_000;

export type Headline = {
  received: number;
  resolved: number;
  openAtEnd: number;
  medianMsToAcknowledge: number | undefined;
  medianMsToResolve: number | undefined;
  slaBreaches: number;
  kudosReceived: number;
  kudosGiven: number;
  kudosFromOtherTeams: number;
  kudosToOtherTeams: number;
  firstTimeRight: FirstTimeRight;
  /** Customer praise the teams' people received, each once (numbers.ts customerPraiseOfTeams; not kudos). */
  customerPraise: number;
};

export type DepartmentLine = { department: Department; headline: Headline };

export type ManagerDigest = {
  managerId: string;
  timezone: string;
  period: Period;
  previousPeriod: Period;
  departments: DepartmentLine[];
  current: Headline;
  previous: Headline;
  byKind: [string, number][];
  bySeverity: [string, number][];
  /** How customers reached us (contact channel, '' when not said), most first. */
  contactMix: [string, number][];
  themes: { term: string; count: number }[];
  /** The top three themes by impact in these departments this week (what the digest leads with). */
  topThemes: TopTheme[];
  atRisk: AtRiskLine[];
  /** The window the at-risk mark counts complaints in (`feedback.at_risk.days`). */
  atRiskDays: number;
  oldestOpen: OpenItem[];
  /** Every item open now in these departments (the oldest are listed). */
  openCount: number;
  values: [string, number][];
  highlights: KudosHighlight[];
  unrecognised: string[];
  unrecognisedWeeks: number;
  trend: { weeks: Period[]; received: number[]; resolved: number[]; kudos: number[] };
  satisfaction: DigestSatisfaction;
  /** Customers kept, lost and unknown, and told: these departments together, and each one. */
  outcomes: { total: OutcomeReport; each: Map<string, OutcomeFigures> };
};

/** A customer at risk: their complaints in the at-risk window and this week, and their latest flagged item. */
export type AtRiskLine = AtRiskCustomer & {
  departmentId: string;
  complaintsInWindow: number;
  complaintsThisWeek: number;
};

function headlineOf(weeks: readonly DepartmentWeek[]): Omit<Headline, 'customerPraise'> {
  const sum = (pick: (w: DepartmentWeek) => number) => weeks.reduce((total, w) => total + pick(w), 0);
  return {
    received: sum((w) => w.received),
    resolved: sum((w) => w.resolved),
    openAtEnd: sum((w) => w.openAtEnd),
    medianMsToAcknowledge: medianTime(...weeks.map((w) => w.acknowledgeMs)),
    medianMsToResolve: medianTime(...weeks.map((w) => w.resolveMs)),
    slaBreaches: sum((w) => w.slaBreaches),
    kudosReceived: sum((w) => w.kudosReceived),
    kudosGiven: sum((w) => w.kudosGiven),
    kudosFromOtherTeams: sum((w) => w.kudosFromOtherTeams),
    kudosToOtherTeams: sum((w) => w.kudosToOtherTeams),
    firstTimeRight: addFirstTimeRight(weeks.map((w) => w.firstTimeRight)),
  };
}

/** How many times more than once a row was counted across the manager's departments (0 if once). */
function repeats(departments: readonly string[], ids: ReadonlySet<string>): number {
  return Math.max(0, departments.filter((d) => ids.has(d)).length - 1);
}

/** Take out the repeats of kudos whose people belong to several of the manager's departments. */
function withoutRepeats<H extends Omit<Headline, 'customerPraise'>>(
  headline: H,
  shared: readonly SharedKudos[],
  ids: ReadonlySet<string>,
): H {
  const h = { ...headline };
  for (const row of shared) {
    const received = repeats(row.recipients, ids);
    const given = repeats(row.givers, ids);
    h.kudosReceived -= received;
    h.kudosGiven -= given;
    if (row.crossing) {
      h.kudosFromOtherTeams -= received;
      h.kudosToOtherTeams -= given;
    }
  }
  return h;
}

function mergeCounts(records: readonly Record<string, number>[]): [string, number][] {
  const total = new Map<string, number>();
  for (const record of records)
    for (const [key, n] of Object.entries(record)) total.set(key, (total.get(key) ?? 0) + n);
  return [...total].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/**
 * Department numbers per period, computed once for every department and shared by all managers whose digests
 * cover the same period (200 managers on one schedule cost one computation). Only closed periods are kept, and
 * one is counted again when something in it changed since (a kudos withdrawn, a breach recorded late).
 */
export type DigestNumbers = {
  weeks(period: Period): Map<string, DepartmentWeek>;
  /** A set of departments' headline for a period (managers who see the same departments share it). */
  headline(departmentIds: readonly string[], period: Period): Headline;
  shared(period: Period): SharedKudos[];
  /** Items open now per department, counted once for every digest of a period (the lists are read live). */
  openCounts(period: Period): Map<string, number>;
  trend(periods: readonly Period[]): Map<string, { received: number[]; resolved: number[]; kudos: number[] }>;
  /**
   * A set of departments' theme sums over a period (impact at its end) and their themes' counts in `ranges` (the
   * trend weeks and the week before): each department counted once per run, the set added up.
   */
  themes(departmentIds: readonly string[], period: Period, ranges: readonly Period[]): CountedThemes;
  /** A set of departments' outcomes for a period and the one before: each department counted once per run. */
  outcomes(departmentIds: readonly string[], period: Period): ManagerDigest['outcomes'];
  /**
   * Count what a run's digests share (every department's week, the week before, the trend weeks, the themes, the
   * outcomes) in slices, one department at a time with the event loop free between them (`slices`), and keep it
   * as composing the run's first digest would: then no digest holds the app long (issue 14: the first one held
   * it ~340 ms at 1M items). Callers at once share one count; what is kept already is not counted again. Nothing
   * to do for numbers counted from pieces (the previews).
   */
  prepare(run: DigestRun, slices: Slicer): Promise<void>;
};

/** What a run's digests have in common: the period, the one it is compared with, the trend weeks. */
export type DigestRun = { period: Period; previousPeriod: Period; trendWeeks: readonly Period[] };

/** The spans a digest counts its themes in: the trend weeks and the week before. */
export const themeRanges = (run: DigestRun): Period[] => [...run.trendWeeks, run.previousPeriod];

/** A cache of closed periods' numbers: what they are, the span they count, and when they were counted. */
export type DigestNumbersCache = Map<string, { value: unknown; span: Period; countedAt: number }>;

export function createDigestNumbers(options: {
  db: Db;
  departmentIds: () => readonly string[];
  now: () => number;
  maxEntries?: number;
  /**
   * Periods ending after this are still open (the preview's week so far): computed every time, never kept.
   * Default: now, so any period that has ended is kept.
   */
  closedBefore?: () => number;
  /** Where closed periods are kept; pass one Map to share it across instances (the previews do). */
  cache?: DigestNumbersCache;
  /**
   * Count weeks from kept pieces (the previews: their periods end now, so whole periods never come again);
   * then only the trend's closed weeks go in `cache`.
   */
  pieces?: PeriodPieces;
}): DigestNumbers {
  const { db } = options;
  const maxEntries = options.maxEntries ?? 64;
  const cache: DigestNumbersCache = options.cache ?? new Map();
  const keyOf = (key: string) => `${key}|${options.departmentIds().join(',')}`;
  const fresh = (key: string) => {
    const k = keyOf(key);
    const entry = cache.get(k);
    if (!entry) return undefined;
    cache.delete(k);
    // Numbers count what stands now: a kudos of that week withdrawn since (or a breach recorded late) drops it.
    if (changedSince(db, entry.span, entry.countedAt)) return undefined;
    cache.set(k, entry); // most recently used last: the oldest unused entry is the one dropped when full
    return entry;
  };
  /** Open periods' numbers, for this instance only: one preview reads its week so far many times. */
  const open = new Map<string, unknown>();
  const { pieces } = options;
  /** Keep a value counted from `countedAt` on: a closed period's in `cache`, an open one's for this instance. */
  const store = (key: string, span: Period, value: unknown, countedAt: number, keep = true) => {
    if (keep && span.end <= Math.min(countedAt, options.closedBefore?.() ?? countedAt)) {
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
      cache.set(keyOf(key), { value, span, countedAt });
    } else {
      if (open.size >= maxEntries) open.delete(open.keys().next().value as string);
      open.set(key, value);
    }
  };
  const remember = <T>(key: string, span: Period, compute: () => T, keep = true): T => {
    if (open.has(key)) return open.get(key) as T;
    const known = keep ? fresh(key) : undefined;
    if (known) return known.value as T;
    const countedAt = options.now();
    const value = compute();
    store(key, span, value, countedAt, keep);
    return value;
  };
  /** remember, for a count in slices: kept as remember keeps it, unless known already. */
  const rememberSliced = async (key: string, span: Period, count: () => Promise<unknown>) => {
    if (open.has(key) || fresh(key)) return;
    const countedAt = options.now();
    store(key, span, await count(), countedAt);
  };
  /**
   * Per department, by period, ranges and departments counted: the current run's theme sums and the counts of
   * every theme with items in the period (THEME_RUN_MS).
   */
  type ThemeRun = { sums: Map<string, ThemeSums>; counts: Map<string, Map<number, number[]>> };
  const themeRuns = new Map<string, { value: ThemeRun; countedAt: number }>();
  /** The outcomes per department of the current run's periods (THEME_RUN_MS, as the themes). */
  const runCounts = new Map<string, { value: Map<string, OutcomeFigures>; countedAt: number }>();
  const themeRunKey = (period: Period, ranges: readonly Period[]) =>
    keyOf(`${period.start}:${period.end}:${ranges.map((r) => `${r.start}-${r.end}`).join(';')}`);
  const knownThemeRun = (key: string): ThemeRun | undefined => {
    const known = themeRuns.get(key);
    if (known && options.now() - known.countedAt < THEME_RUN_MS) return known.value;
    themeRuns.delete(key);
    return undefined;
  };
  const keepThemeRun = (key: string, value: ThemeRun, countedAt: number) => {
    if (themeRuns.size >= maxEntries) themeRuns.delete(themeRuns.keys().next().value as string);
    themeRuns.set(key, { value, countedAt });
  };
  const departmentThemes = (period: Period, ranges: readonly Period[]): ThemeRun => {
    const key = themeRunKey(period, ranges);
    const known = knownThemeRun(key);
    if (known) return known;
    const countedAt = options.now();
    const ids = options.departmentIds();
    const sums = themeSumsByDepartment(db, ids, period, period.end, pieces?.themedItems);
    const themeIds = themeIdsOf(sums);
    const count = (some: readonly Period[]) =>
      weeklyCountsByDepartment(db, { departments: ids }, themeIds, some);
    const counts = pieces ? pieces.themeCounts(ids, themeIds, ranges, count) : count(ranges);
    const value = { sums, counts };
    keepThemeRun(key, value, countedAt);
    return value;
  };
  const outcomesKey = (p: Period) => keyOf(`outcomes:${p.start}:${p.end}`);
  const knownOutcomes = (p: Period) => {
    const known = runCounts.get(outcomesKey(p));
    return known && options.now() - known.countedAt < THEME_RUN_MS ? known.value : undefined;
  };
  const keepOutcomes = (p: Period, value: Map<string, OutcomeFigures>, countedAt: number) => {
    if (runCounts.size >= maxEntries) runCounts.delete(runCounts.keys().next().value as string);
    runCounts.set(outcomesKey(p), { value, countedAt });
  };
  const cached = (key: string) =>
    (open.get(key) ?? fresh(key)?.value) as Map<string, DepartmentWeek> | undefined;
  const fullWeek = (period: Period) => cached(`w:${period.start}:${period.end}`);
  /** The period's customer praise, read once for every headline of it. */
  const praise = (period: Period) =>
    remember(
      `p:${period.start}:${period.end}`,
      period,
      () => (pieces ? pieces.praise(period) : customerPraiseLists(db, period)),
      !pieces,
    );
  const openCounts = (period: Period) =>
    remember(`o:${period.start}:${period.end}`, period, () => openNow(db, options.departmentIds()), !pieces);
  const endsNow = (period: Period) => period.end > (options.closedBefore?.() ?? options.now());
  const countWeeks = (period: Period, detail: 'full' | 'headline') =>
    pieces
      ? pieces.weeks(
          options.departmentIds(),
          period,
          detail,
          endsNow(period) ? openCounts(period) : undefined,
        )
      : departmentWeeks(db, options.departmentIds(), period, detail);
  const headlineWeek = (period: Period) =>
    remember(`l:${period.start}:${period.end}`, period, () => countWeeks(period, 'headline'), !pieces);
  /** One week's trend counts per department: read from a week already counted in full, else counted (and kept). */
  const trendWeek = (period: Period): Map<string, { received: number; resolved: number; kudos: number }> => {
    const week = fullWeek(period) ?? cached(`l:${period.start}:${period.end}`);
    if (week) {
      return new Map(
        [...week].map(([id, w]) => [
          id,
          { received: w.received, resolved: w.resolved, kudos: w.kudosReceived },
        ]),
      );
    }
    return remember(`t:${period.start}:${period.end}`, period, () => {
      const counted = departmentTrend(db, options.departmentIds(), [period]);
      return new Map(
        [...counted].map(([id, t]) => [
          id,
          { received: t.received[0] ?? 0, resolved: t.resolved[0] ?? 0, kudos: t.kudos[0] ?? 0 },
        ]),
      );
    });
  };
  /** The digests' shared numbers counted in slices, in the order composeDigest reads them (the same ones kept). */
  const prepareRun = async (run: DigestRun, slices: Slicer) => {
    const ids = options.departmentIds();
    const { period, previousPeriod } = run;
    const at = (p: Period) => `${p.start}:${p.end}`;
    await rememberSliced(`w:${at(period)}`, period, () =>
      departmentWeeksInSlices(db, ids, period, 'full', slices),
    );
    for (const week of run.trendWeeks) {
      if (fullWeek(week) ?? cached(`l:${at(week)}`)) continue;
      await rememberSliced(`t:${at(week)}`, week, () => trendWeekInSlices(db, ids, week, slices));
    }
    if (!fullWeek(previousPeriod)) {
      await rememberSliced(`l:${at(previousPeriod)}`, previousPeriod, () =>
        departmentWeeksInSlices(db, ids, previousPeriod, 'headline', slices),
      );
    }
    for (const p of [period, previousPeriod]) {
      await rememberSliced(`s:${at(p)}`, p, () => inOneSlice(slices, () => sharedKudos(db, p)));
      await rememberSliced(`p:${at(p)}`, p, () => inOneSlice(slices, () => customerPraiseLists(db, p)));
    }
    await rememberSliced(`o:${at(period)}`, period, () => inOneSlice(slices, () => openNow(db, ids)));
    const themesKey = themeRunKey(period, themeRanges(run));
    if (!knownThemeRun(themesKey)) {
      const countedAt = options.now();
      keepThemeRun(themesKey, await themeRunInSlices(db, ids, period, themeRanges(run), slices), countedAt);
    }
    for (const p of [period, before(period)]) {
      if (!knownOutcomes(p)) keepOutcomes(p, await outcomesInSlices(db, ids, p, slices), options.now());
    }
  };
  /** Runs being counted now: digests composed meanwhile wait for the same count. */
  const preparing = new Map<string, Promise<void>>();
  return {
    prepare(run, slices) {
      if (pieces) return Promise.resolve();
      const key = keyOf(
        `${[run.period, run.previousPeriod, ...run.trendWeeks].map((p) => `${p.start}-${p.end}`)}`,
      );
      const known = preparing.get(key);
      if (known) return known;
      const counting = prepareRun(run, slices).finally(() => preparing.delete(key));
      preparing.set(key, counting);
      return counting;
    },
    weeks: (period) =>
      remember(`w:${period.start}:${period.end}`, period, () => countWeeks(period, 'full'), !pieces),
    headline(departmentIds, period) {
      const key = `h:${departmentIds.join(',')}:${period.start}:${period.end}`;
      return remember(
        key,
        period,
        () => {
          // The full week if it was computed (the digest's own week), else only what a headline needs.
          const weeks = fullWeek(period) ?? headlineWeek(period);
          const headline = withoutRepeats(
            headlineOf(departmentIds.map((id) => weeks.get(id) ?? emptyDepartmentWeek())),
            this.shared(period),
            new Set(departmentIds),
          );
          return { ...headline, customerPraise: customerPraiseOfTeams(praise(period), departmentIds) };
        },
        !pieces,
      );
    },
    openCounts,
    shared: (period) =>
      remember(
        `s:${period.start}:${period.end}`,
        period,
        () => (pieces ? pieces.shared(period) : sharedKudos(db, period)),
        !pieces,
      ),
    trend: (periods) => {
      // Week by week, so the closed weeks are counted once and only an open week is counted each time.
      const weeks = periods.map(trendWeek);
      const result = new Map<string, TrendCounts>();
      for (const id of options.departmentIds()) {
        result.set(id, {
          received: weeks.map((w) => w.get(id)?.received ?? 0),
          resolved: weeks.map((w) => w.get(id)?.resolved ?? 0),
          kudos: weeks.map((w) => w.get(id)?.kudos ?? 0),
        });
      }
      return result;
    },
    outcomes: (departmentIds, period) => {
      const counted = (p: Period) => {
        const known = knownOutcomes(p);
        if (known) return known;
        const value = figuresByDepartment(db, options.departmentIds(), p);
        keepOutcomes(p, value, options.now());
        return value;
      };
      return reportOf(departmentIds, counted(period), counted(before(period)));
    },
    themes: (departmentIds, period, ranges) => {
      const run = departmentThemes(period, ranges);
      const pick = <T>(each: Map<string, T>) => departmentIds.flatMap((id) => each.get(id) ?? []);
      return {
        current: addThemeSums(pick(run.sums)),
        counts: (themeIds) => addWeeklyCounts(pick(run.counts), themeIds, ranges.length),
      };
    },
  };
}

export type ComposeInput = {
  db: Db;
  numbers: DigestNumbers;
  manager: Manager;
  /** The config's departments that this manager sees, in config order. */
  departments: readonly Department[];
  period: Period;
  previousPeriod: Period;
  trendWeeks: readonly Period[];
  /** Everyone in those departments (members, leads, user-group members), for the "not recognised" prompt. */
  people: readonly string[];
  unrecognisedWeeks: number;
  /** `feedback.at_risk.days`: customers at risk are shown with their complaints in that window. */
  atRiskDays: number;
};

/**
 * Each customer at risk once (their line with the most complaints), with their complaints in the at-risk window
 * and this week (one grouped read for all of them), most complaints in the window first.
 */
function atRiskLines(
  db: Db,
  ids: readonly string[],
  weeks: readonly DepartmentWeek[],
  period: Period,
  atRiskDays: number,
): AtRiskLine[] {
  const atRisk = ids
    .flatMap((id, i) => (weeks[i] as DepartmentWeek).atRisk.map((c) => ({ ...c, departmentId: id })))
    .sort((a, b) => b.complaints - a.complaints || b.latestItemId - a.latestItemId);
  const seenCustomers = new Set<number>();
  const firstOfEach = atRisk.filter(
    (c) => !seenCustomers.has(c.customerId) && seenCustomers.add(c.customerId),
  );
  const complaints = customerComplaints(
    db,
    firstOfEach.map((c) => c.customerId),
    { end: period.end, days: atRiskDays, weekStart: period.start },
  );
  return firstOfEach
    .map((c) => {
      const counts = complaints.get(c.customerId) ?? { inWindow: 0, thisWeek: 0 };
      return { ...c, complaintsInWindow: counts.inWindow, complaintsThisWeek: counts.thisWeek };
    })
    .sort((a, b) => b.complaintsInWindow - a.complaintsInWindow || b.latestItemId - a.latestItemId);
}

export function composeDigest(input: ComposeInput): ManagerDigest {
  const { db, numbers, manager, departments, period, previousPeriod } = input;
  const ids = departments.map((d) => d.id);
  const idSet = new Set(ids);
  const current = numbers.weeks(period);
  const currentWeeks = ids.map((id) => current.get(id) ?? emptyDepartmentWeek());
  const trend = numbers.trend(input.trendWeeks);
  const series = (pick: 'received' | 'resolved' | 'kudos') =>
    input.trendWeeks.map((_, i) => ids.reduce((total, id) => total + (trend.get(id)?.[pick][i] ?? 0), 0));

  const themes = mergeCounts(
    currentWeeks.map((w) => Object.fromEntries(w.themes.map((t) => [t.term, t.count]))),
  )
    .filter(([, count]) => count >= RECURRING)
    .slice(0, TOP)
    .map(([term, count]) => ({ term, count }));
  const uniqueAtRisk = atRiskLines(db, ids, currentWeeks, period, input.atRiskDays);
  const unrecognisedFrom = period.end - input.unrecognisedWeeks * 7 * 24 * 3_600_000;

  return {
    managerId: manager.user,
    timezone: manager.timezone,
    period,
    previousPeriod,
    departments: departments.map((department) => ({
      department,
      headline: numbers.headline([department.id], period),
    })),
    current: numbers.headline(ids, period),
    previous: numbers.headline(ids, previousPeriod),
    byKind: mergeCounts(currentWeeks.map((w) => w.byKind)),
    bySeverity: mergeCounts(currentWeeks.map((w) => w.bySeverity)),
    contactMix: mergeCounts(currentWeeks.map((w) => Object.fromEntries(w.contactMix))),
    themes,
    topThemes: leadThemes(
      db,
      ids,
      period,
      previousPeriod,
      input.trendWeeks,
      numbers.themes(ids, period, themeRanges(input)),
    ),
    atRisk: uniqueAtRisk,
    atRiskDays: input.atRiskDays,
    oldestOpen: oldestOpenItems(db, ids, OLDEST_OPEN),
    openCount: ids.reduce((total, id) => total + (numbers.openCounts(period).get(id) ?? 0), 0),
    values: mergeCounts([
      ...currentWeeks.map((w) => w.values),
      ...numbers.shared(period).flatMap((row) => {
        const n = repeats(row.recipients, idSet);
        return n === 0 ? [] : [Object.fromEntries(row.values.map((v) => [v, -n]))];
      }),
    ])
      .filter(([, n]) => n > 0)
      .slice(0, TOP),
    highlights: kudosHighlights(
      db,
      [
        ...new Set(
          currentWeeks
            .flatMap((w) => w.recentKudos)
            .sort((a, b) => b.createdAt - a.createdAt || b.kudosId - a.kudosId)
            .map((k) => k.kudosId),
        ),
      ].slice(0, HIGHLIGHTS),
    ),
    unrecognised: unrecognisedSince(db, [...new Set(input.people)].sort(), unrecognisedFrom),
    unrecognisedWeeks: input.unrecognisedWeeks,
    outcomes: numbers.outcomes(ids, period),
    trend: {
      weeks: [...input.trendWeeks],
      received: series('received'),
      resolved: series('resolved'),
      kudos: series('kudos'),
    },
    satisfaction: digestSatisfaction(db, departments, period, previousPeriod),
  };
}
