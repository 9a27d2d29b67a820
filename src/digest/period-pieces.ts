import {
  breachesRecordedSince,
  type CustomerPraiseLists,
  changedSince,
  customerPraiseLists,
  itemsChangedSince,
  itemsMovedSince,
  kudosWithdrawnSince,
  openAtEnd,
  type PerDepartment,
  type Period,
} from '../metrics/numbers.js';
import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';
import { createKeptThemedItems, type ThemedItemsReader } from '../themes/kept-themed-items.js';
import {
  type DepartmentWeek,
  type PartsThatMove,
  recountWeekParts,
  type SharedKudos,
  sharedKudos,
  weekParts,
} from './department-week.js';
import { joinKeptWeekParts, type KeptJoin, keptJoin, type WeekPart } from './week-parts.js';

/**
 * The `/loop digest` preview's numbers, counted in pieces: a period (the week so far, the same time just before
 * it) is cut at whole UTC days, quarter days and hours, each closed piece is counted once and kept, and only the
 * pieces that are not whole and closed (the hour under way, the start of the period before) are counted at each
 * preview.
 * The pieces are joined into the week's numbers exactly as counting the whole period gives them (week-parts.ts).
 *
 * A piece is kept per department, so managers who share departments share their pieces, and apart from the
 * scheduled digests' closed weeks. A kept piece is counted again when something in it changed since (a kudos
 * withdrawn, a breach recorded late, an item filed in it moved, a customer's details removed: numbers.ts
 * changedSince and itemsChangedSince). A piece is kept only once it ended a minute ago (a write dated just before its end may still be
 * under way when it ends). Where a customer at risk's latest item was posted is read afresh (the post may land
 * after its hour). Pieces that ended long before any period asked for are dropped.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How long after its end a piece is kept rather than counted again. */
const SETTLE_MS = 60_000;

type Detail = 'full' | 'headline';

/** Whole UTC days, quarter days and hours: the sizes a kept piece has (fewer pieces to join than hours alone). */
const SIZES = [DAY, 6 * HOUR, HOUR];

/**
 * The period cut at UTC day, quarter-day and hour boundaries: at each point the largest whole piece that starts
 * there and fits, else up to the next hour.
 */
export function piecesOf(period: Period): Period[] {
  const pieces: Period[] = [];
  let at = period.start;
  while (at < period.end) {
    const size = SIZES.find((s) => at % s === 0 && at + s <= period.end);
    const end = size ? at + size : Math.min(period.end, at - (at % HOUR) + HOUR);
    pieces.push({ start: at, end });
    at = end;
  }
  return pieces;
}

const whole = (piece: Period) => {
  const size = piece.end - piece.start;
  return SIZES.includes(size) && piece.start % size === 0;
};

const keyOf = (what: string, span: Period) => `${what}|${span.start}|${span.end}`;

type Kept = {
  span: Period;
  /** When the piece was counted; `moved`: when each part that can move after the fact was counted last. */
  countedAt: number;
  moved: Record<PartsThatMove, number>;
  parts: Map<string, WeekPart>;
  /** Moves each time its parts are counted again (a kept join of it is then joined again). */
  version: number;
  /** A list's piece (shared kudos, customer praise). */
  list?: unknown[] | undefined;
};

export type PeriodPieces = {
  /** The departments' weeks over the period, from its pieces. */
  weeks(
    departmentIds: readonly string[],
    period: Period,
    detail: Detail,
    /**
     * For a period that ends now (the week so far), the items open now: they are the items open at its end
     * (numbers.ts openAtEnd: filed before the end and open now, or resolved after it).
     */
    openNowCounts: PerDepartment<number> | undefined,
  ): Map<string, DepartmentWeek>;
  /** sharedKudos over the period, from its pieces. */
  shared(period: Period): SharedKudos[];
  /** customerPraiseLists over the period, from its pieces (their lists one after the other). */
  praise(period: Period): CustomerPraiseLists;
  /**
   * Themes' item counts per department in each of `ranges` (theme-totals.ts weeklyCountsByDepartment, which
   * `count` runs): a closed range's are kept, and counted again once a counter of its days in theme_day_changes
   * moved (an item of those days filed, moved or regrouped: what the counts count).
   */
  themeCounts(
    departmentIds: readonly string[],
    themeIds: readonly number[],
    ranges: readonly Period[],
    count: (ranges: readonly Period[]) => ThemeCounts,
  ): ThemeCounts;
  /** Themed items as theme sums read a period's edges, closed spans kept (kept-themed-items.ts). */
  themedItems: ThemedItemsReader;
};

type ThemeCounts = Map<string, Map<number, number[]>>;

/** A kept join: the run of kept pieces it joins, their versions then, and the join per department. */
type Join = {
  detail: Detail;
  grows: 'start' | 'end';
  span: Period;
  pieces: Kept[];
  versions: number[];
  departments: Map<string, KeptJoin>;
};

/**
 * Kept joins at most: one per period previews ask for (a week so far and the time before it, per week start in
 * the managers' time zones), each the size of the pieces it joins.
 */
const MAX_JOINS = 8;

/** How many closed ranges' theme counts are kept (a trend's weeks for a few sets of departments and themes). */
const KEPT_RANGES = 256;

/** Where the customers at risk's latest items are posted now (one read of a few items by id). */
function withPostsNow(db: Db, weeks: Map<string, DepartmentWeek>): Map<string, DepartmentWeek> {
  const lines = [...weeks.values()].flatMap((w) => w.atRisk);
  if (lines.length === 0) return weeks;
  const ids = [...new Set(lines.map((c) => c.latestItemId))];
  const posts = new Map<number, [string | null, string | null]>();
  for (let i = 0; i < ids.length; i += 500) {
    const slice = ids.slice(i, i + 500);
    const rows = stmt(
      db,
      `SELECT id, post_channel_id, post_ts FROM feedback_items WHERE id IN (${slice.map(() => '?').join(', ')})`,
    )
      .raw()
      .all(...slice) as [number, string | null, string | null][];
    for (const [id, channel, ts] of rows) posts.set(id, [channel, ts]);
  }
  for (const line of lines) {
    const [channel, ts] = posts.get(line.latestItemId) ?? [null, null];
    line.postChannelId = channel ?? undefined;
    line.postTs = ts ?? undefined;
  }
  return weeks;
}

export function createPeriodPieces(options: {
  db: Db;
  now: () => number;
  /** Pieces that ended this long before the time a preview compares with are dropped. */
  keepBeforeMs?: number;
}): PeriodPieces {
  const { db } = options;
  const keepBeforeMs = options.keepBeforeMs ?? 2 * DAY;
  const kept = new Map<string, Kept>();
  const joins = new Map<string, Join>();
  const openEnds = new Map<number, { countedAt: number; counts: PerDepartment<number> }>();

  /**
   * Drop what no preview will ask for again: pieces (and period ends) that ended well before the time just
   * before the period asked now (a preview compares its period with the same length of time before it).
   */
  const forgetBefore = (period: Period) => {
    const horizon = period.start - (period.end - period.start) - keepBeforeMs;
    for (const [key, entry] of kept) if (entry.span.end < horizon) kept.delete(key);
    for (const end of openEnds.keys()) if (end < horizon) openEnds.delete(end);
    for (const [key, join] of joins) if (join.span.end < horizon) joins.delete(key);
  };

  /** A kept piece, if it is whole and closed, else a new one for this call; `kept` says which. */
  const pieceOf = (key: string, span: Period): { piece: Kept; kept: boolean } => {
    const now = options.now();
    const fresh = {
      span,
      countedAt: now,
      moved: { items: now, kudos: now, breaches: now },
      parts: new Map<string, WeekPart>(),
      version: 0,
    };
    if (!whole(span) || span.end > now - SETTLE_MS) return { piece: fresh, kept: false };
    const known = kept.get(key);
    if (known) return { piece: known, kept: true };
    kept.set(key, fresh);
    return { piece: fresh, kept: false };
  };

  /** Whether anything a piece counts may have changed since `since`. */
  const movedSince = (span: Period, since: number) =>
    changedSince(db, span, since) || itemsChangedSince(db, span, since);
  /** Whether anything in a kept piece changed since it was counted (it is counted again whole). */
  const stale = (piece: Kept, checked: boolean) => !checked && movedSince(piece.span, piece.countedAt);

  /** What may have moved in a kept piece's parts since each was counted: only those are counted again. */
  const MOVES: Record<PartsThatMove, (db: Db, span: Period, since: number) => boolean> = {
    items: itemsChangedSince,
    kudos: kudosWithdrawnSince,
    breaches: breachesRecordedSince,
  };
  const refresh = (piece: Kept, detail: Detail, checked: boolean) => {
    if (checked) return;
    for (const what of Object.keys(MOVES) as PartsThatMove[]) {
      const now = options.now();
      if (!MOVES[what](db, piece.span, piece.moved[what])) continue;
      recountWeekParts(db, piece.parts, piece.span, detail, what);
      piece.version += 1;
      piece.moved[what] = now;
    }
    piece.countedAt = Math.min(...Object.values(piece.moved));
  };
  /** A kept piece's list counted again whole from now. */
  const recounted = (piece: Kept) => {
    const now = options.now();
    piece.countedAt = now;
    piece.moved = { items: now, kudos: now, breaches: now };
  };

  /** Whether anything in the period changed since the oldest of its kept pieces was counted (one probe). */
  const unchangedSince = (period: Period, pieces: readonly Period[], prefix: string) => {
    let oldest = Number.POSITIVE_INFINITY;
    for (const p of pieces) {
      const piece = kept.get(keyOf(prefix, p));
      if (piece) oldest = Math.min(oldest, piece.countedAt, ...Object.values(piece.moved));
    }
    return oldest === Number.POSITIVE_INFINITY || !movedSince(period, oldest);
  };

  /** Items open at a past end of a period (numbers.ts openAtEnd), kept until an item filed before it moves. */
  const openAt = (ids: readonly string[], period: Period): PerDepartment<number> => {
    const now = options.now();
    const known = openEnds.get(period.end);
    if (known && !itemsMovedSince(db, { end: period.end }, known.countedAt)) {
      const missing = ids.filter((id) => !known.counts.has(id));
      for (const [id, n] of openAtEnd(db, missing, period)) known.counts.set(id, n);
      return known.counts;
    }
    const counts = openAtEnd(db, ids, period);
    openEnds.set(period.end, { countedAt: now, counts: new Map(counts) });
    return counts;
  };

  /** Closed ranges' theme counts, with the state of their days' counters when counted. */
  const rangeCounts = new Map<string, { stamp: string; counts: ThemeCounts }>();
  const stampOf = (range: Period) =>
    stmt(db, `SELECT COUNT(*) || ':' || TOTAL(changes) FROM theme_day_changes WHERE day >= ? AND day <= ?`)
      .pluck()
      .get(Math.floor(range.start / DAY), Math.floor((range.end - 1) / DAY)) as string;
  const themeCounts: PeriodPieces['themeCounts'] = (departmentIds, themeIds, ranges, count) => {
    const closed = (r: Period) => r.end <= options.now() - SETTLE_MS;
    const keyOfRange = (r: Period) => `${departmentIds.join(',')}|${themeIds.join(',')}|${r.start}|${r.end}`;
    const known = ranges.map((r) => {
      if (!closed(r)) return undefined;
      const entry = rangeCounts.get(keyOfRange(r));
      return entry && entry.stamp === stampOf(r) ? entry.counts : undefined;
    });
    const missing = ranges.flatMap((r, w) => (known[w] ? [] : [{ r, w }]));
    // Stamps first: a change made while counting makes the next preview count again.
    const stamps = missing.map(({ r }) => (closed(r) ? stampOf(r) : undefined));
    const counted = missing.length > 0 ? count(missing.map(({ r }) => r)) : new Map();
    const result: ThemeCounts = new Map();
    const into = (from: ThemeCounts, pick: (counts: number[]) => number, w: number) => {
      for (const [d, themes] of from) {
        let department = result.get(d);
        if (!department) {
          department = new Map(themeIds.map((id) => [id, ranges.map(() => 0)]));
          result.set(d, department);
        }
        for (const [id, counts] of themes) {
          const total = department.get(id);
          if (total) total[w] = pick(counts);
        }
      }
    };
    missing.forEach(({ r, w }, i) => {
      into(counted, (counts) => counts[i] ?? 0, w);
      const stamp = stamps[i];
      if (stamp === undefined) return;
      const own: ThemeCounts = new Map(
        [...counted].map(([d, themes]) => [
          d,
          new Map([...themes].map(([id, counts]) => [id, [counts[i] ?? 0]])),
        ]),
      );
      if (rangeCounts.size >= KEPT_RANGES) rangeCounts.delete(rangeCounts.keys().next().value as string);
      rangeCounts.set(keyOfRange(r), { stamp, counts: own });
    });
    known.forEach((counts, w) => {
      if (counts) into(counts, (c) => c[0] ?? 0, w);
    });
    return result;
  };

  /** A list over the period (shared kudos, customer praise): its kept pieces' lists one after the other. */
  const listOf = <T>(what: 'shared' | 'praise', period: Period, count: (span: Period) => T[]): T[] => {
    const pieces = piecesOf(period);
    const checked = unchangedSince(period, pieces, what);
    return pieces.flatMap((span) => {
      const { piece, kept: known } = pieceOf(keyOf(what, span), span);
      if (known && stale(piece, checked)) piece.list = undefined;
      if (!piece.list) {
        recounted(piece);
        piece.list = count(span);
      }
      return piece.list as T[];
    });
  };

  /**
   * The kept join of a run of kept pieces per department, joined again when the run, or a piece of it, changed
   * since (a piece counted again moves its version). A run grows as time passes, at its end for a week so far
   * (`grows` 'end': the hour under way follows it), at its start for the time before it: the join it outgrew is
   * dropped, so one join is kept per period asked for (and at most MAX_JOINS).
   */
  const joinOf = (
    detail: Detail,
    run: readonly Kept[],
    grows: 'start' | 'end',
    departmentIds: readonly string[],
  ): ReadonlyMap<string, KeptJoin> => {
    const span = { start: (run[0] as Kept).span.start, end: (run[run.length - 1] as Kept).span.end };
    const key = `${keyOf(detail, span)}|${grows}`;
    let join = joins.get(key);
    const current = (j: Join) =>
      j.pieces.length === run.length && j.pieces.every((p, i) => p === run[i] && j.versions[i] === p.version);
    const outgrown = (j: Join) =>
      j.detail === detail &&
      j.grows === grows &&
      (grows === 'end' ? j.span.start === span.start : j.span.end === span.end);
    if (!join || !current(join)) {
      for (const [k, j] of joins) if (outgrown(j)) joins.delete(k);
      if (joins.size >= MAX_JOINS) joins.delete(joins.keys().next().value as string);
      join = {
        detail,
        grows,
        span,
        pieces: [...run],
        versions: run.map((p) => p.version),
        departments: new Map(),
      };
      joins.set(key, join);
    }
    for (const id of departmentIds) {
      if (!join.departments.has(id))
        join.departments.set(id, keptJoin(run.map((p) => p.parts.get(id) as WeekPart)));
    }
    return join.departments;
  };

  return {
    themeCounts,
    themedItems: createKeptThemedItems(() => options.now() - SETTLE_MS),
    weeks(departmentIds, period, detail, openNowCounts) {
      forgetBefore(period);
      const pieces = piecesOf(period);
      const checked = unchangedSince(period, pieces, detail);
      const counted = pieces.map((span) => {
        const key = keyOf(detail, span);
        const { piece, kept: known } = pieceOf(key, span);
        if (known) refresh(piece, detail, checked);
        const missing = departmentIds.filter((id) => !piece.parts.has(id));
        if (missing.length > 0) {
          for (const [id, part] of weekParts(db, missing, span, detail)) piece.parts.set(id, part);
        }
        return { piece, keeps: kept.get(key) === piece };
      });
      // The kept pieces are the whole, closed ones: a run between the period's open ends.
      const run = counted.filter((c) => c.keeps).map((c) => c.piece);
      const first = counted.findIndex((c) => c.keeps);
      const together = run.length > 1 && counted.slice(first, first + run.length).every((c) => c.keeps);
      const open = openNowCounts ?? openAt(departmentIds, period);
      const weeks = joinKeptWeekParts(
        departmentIds,
        together ? joinOf(detail, run, counted.at(-1)?.keeps ? 'start' : 'end', departmentIds) : new Map(),
        counted.filter((c) => !together || !c.keeps).map((c) => c.piece.parts),
        open,
      );
      return detail === 'full' ? withPostsNow(db, weeks) : weeks;
    },
    shared: (period) => listOf('shared', period, (span) => sharedKudos(db, span)),
    praise: (period) => listOf('praise', period, (span) => customerPraiseLists(db, span)),
  };
}
