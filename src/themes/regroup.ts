import { createThemeMerger, type ThemeMerger } from './merge-themes.js';
import type { ThemeModel } from './theme-model.js';

/**
 * The background regrouping pass, in slices a job can run between other work (`step(budget)` does at most
 * `budget` units and says whether the pass is done). Items are read from `items` in slices by id, never all at once:
 * 1. refresh every theme's norm with the current IDF;
 * 2. merge themes best pair first while their centroids are at least `mergeThreshold` similar (merge-themes.ts):
 *    intake makes small, tight themes; this joins the ones that are the same complaint in other words; the
 *    merged theme's items then follow it, a slice at a time, after the items of merges an earlier pass recorded
 *    but did not finish moving (`unfinished`: it was stopped; the model already counts them where they go);
 * 3. k-means-style reassignment, leave-one-out: each item is taken out of its theme and put in the nearest one
 *    that reaches the join threshold, else back (so early mistakes and lone items find their theme); the items
 *    of the themes the previous pass found incoherent (`dissolve`) go elsewhere or start afresh;
 * 4. every theme forgets its rarest terms (PRUNE_SHARE) and is named again by its top terms.
 * Ids stay stable throughout; `renamed` in the result maps each theme that no longer exists to the theme that
 * took most of its items (overlap), so references such as `TH-12` or a team's focus can follow it.
 */

export const DEFAULT_MERGE_THRESHOLD = 0.15;

/**
 * The split half of split-and-merge (as in ISODATA): a theme of three items or more whose items are on average
 * less similar to it (each measured with itself left out) than this is a mix of complaints held together by a
 * common word ("order", "arrived"); the next pass dissolves it, each of its items going to the nearest other
 * theme or, failing that, starting over. Tuned on one half of the corpus (see test/unit/theme-model.test.ts).
 */
export const SPLIT_COHERENCE = 0.2;

/** A theme forgets the terms fewer than this share of its items hold (1%: a term needs 20% to count at all). */
export const PRUNE_SHARE = 0.01;

/** An item as the regroup reads it: its terms and its theme. */
export type ThemedItem = { id: number; terms: readonly string[]; themeId: number };

/** Where items and themes are kept (the database, or memory in tests). */
export type ThemeItems = {
  /** Up to `limit` items with a theme and terms, id above `after`, in id order. */
  slice(after: number, limit: number): ThemedItem[];
  /** Theme `from` was merged into `into`; its items follow through `follow`. */
  merged(from: number, into: number): void;
  /** Up to `limit` items of theme `from` move to `into`, their term counts with them; how many did (0: none left). */
  follow(from: number, into: number, limit: number): number;
  /** One item moves to another theme, with its terms; a theme it leaves empty leads to `to` until `emptied`. */
  move(item: ThemedItem, to: number): void;
  /** A theme emptied by reassignment: its references now lead to `into`. */
  emptied(themeId: number, into: number): void;
  /** Rare terms a large theme no longer counts (ThemeModel.prune). */
  pruned(themeId: number, terms: readonly string[]): void;
  /** A theme's top terms, as they are after the pass. */
  named(themeId: number, topTerms: string[]): void;
};

export type RegroupResult = {
  moved: number;
  merged: { from: number; into: number }[];
  renamed: Map<number, number>;
  /** Themes whose items are, on average, less similar to it than SPLIT_COHERENCE: the next pass dissolves them. */
  incoherent: Set<number>;
};

/**
 * Where a pass is in its item phases, kept with each slice so a pass stopped there goes on from that point:
 * reassigning items after `after` (the phases before it, per theme, are simply done again), or naming themes.
 */
export type RegroupPosition = { phase: 'reassign'; after: number } | { phase: 'names' };

export type RegroupPass = {
  /** Do at most `budget` units of work; true when the pass is finished. */
  step(budget: number): boolean;
  /** Where the pass is, when in reassignment or naming; undefined before those and once finished. */
  position(): RegroupPosition | undefined;
  /** The outcome, once `step` has returned true. */
  result(): RegroupResult;
};

/** Items read per slice in the reassignment. */
const SLICE = 100;

type Phase = 'norms' | 'neighbours' | 'merge' | 'follow' | 'reassign' | 'names' | 'done';

export function startRegroup(
  model: ThemeModel,
  items: ThemeItems,
  options: {
    mergeThreshold?: number;
    dissolve?: ReadonlySet<number>;
    unfinished?: readonly { from: number; into: number }[];
    /** Go on from here (the model as the stopped pass left it, its norms fresh). */
    resume?: RegroupPosition | undefined;
  } = {},
): RegroupPass {
  const mergeThreshold = options.mergeThreshold ?? DEFAULT_MERGE_THRESHOLD;
  const dissolve = new Set([...(options.dissolve ?? [])].filter((id) => model.theme(id)));
  const coherence = new Map<number, { sum: number; n: number }>();
  const themeIds = [...model.themes()].map((t) => t.id);
  const existed = new Set(themeIds);
  const destinations = new Map<number, Map<number, number>>();
  const merged: { from: number; into: number }[] = [];
  const follows = [...(options.unfinished ?? [])];
  let merger: ThemeMerger | undefined;
  let phase: Phase = options.resume?.phase ?? 'norms';
  let cursor = options.resume?.phase === 'reassign' ? options.resume.after : 0;
  let batch: ThemedItem[] = [];
  let following = 0;
  let moved = 0;
  // Resumed at the names, where the themes gone before the stop went is no longer known: their references were
  // pointed on as they emptied (ThemeItems.move).
  let renamed: Map<number, number> | undefined = phase === 'names' ? new Map() : undefined;

  const reassign = (item: ThemedItem): void => {
    model.remove(item.themeId, item.terms);
    const leaving = dissolve.has(item.themeId);
    const best = model.nearest(item.terms, leaving ? dissolve : undefined);
    const joins = best && best.similarity >= model.joinThreshold;
    const target = joins ? best.themeId : leaving ? model.newThemeId() : item.themeId;
    const stat = coherence.get(target) ?? { sum: 0, n: 0 };
    coherence.set(target, { sum: stat.sum + (joins ? best.similarity : 0), n: stat.n + 1 });
    model.add(target, item.terms);
    if (target === item.themeId) return;
    items.move(item, target);
    moved++;
    const row = destinations.get(item.themeId) ?? new Map<number, number>();
    destinations.set(item.themeId, row.set(target, (row.get(target) ?? 0) + 1));
  };
  const work = (): void => {
    if (phase === 'norms') {
      const theme = model.theme(themeIds[cursor++] ?? -1);
      if (theme) model.refreshNorm(theme);
      if (cursor >= themeIds.length) {
        merger = createThemeMerger(model, mergeThreshold);
        phase = 'neighbours';
      }
    } else if (phase === 'neighbours') {
      if (!merger?.prepareOne()) phase = 'merge';
    } else if (phase === 'merge') {
      const merge = merger?.mergeBest();
      if (merge) {
        merged.push(merge);
        follows.push(merge);
        items.merged(merge.from, merge.into);
      } else phase = 'follow';
    } else if (phase === 'follow') {
      const merge = follows[following];
      if (!merge) {
        phase = 'reassign';
        cursor = 0;
      } else if (items.follow(merge.from, merge.into, SLICE) === 0) following++;
    } else if (phase === 'reassign') {
      if (batch.length === 0) batch = items.slice(cursor, SLICE).reverse();
      const item = batch.pop();
      if (item) {
        cursor = item.id;
        reassign(item);
      } else {
        renamed = whereThemesWent(model, existed, merged, destinations);
        for (const [from, into] of renamed)
          if (!merged.some((m) => m.from === from)) items.emptied(from, into);
        themeIds.splice(0, themeIds.length, ...[...model.themes()].map((t) => t.id));
        cursor = 0;
        phase = 'names';
      }
    } else if (phase === 'names') {
      const id = themeIds[cursor++];
      if (id === undefined) phase = 'done';
      else {
        const dropped = model.prune(id, PRUNE_SHARE);
        if (dropped.length > 0) items.pruned(id, dropped);
        items.named(id, model.name(id, TOP_TERMS));
      }
    }
  };

  return {
    step(budget) {
      for (let units = 0; phase !== 'done' && units < budget; units++) work();
      return phase === 'done';
    },
    position() {
      if (phase === 'reassign') return { phase, after: cursor };
      return phase === 'names' ? { phase } : undefined;
    },
    result() {
      if (!renamed) throw new Error('regroup pass not finished');
      const incoherent = new Set<number>();
      for (const [id, c] of coherence)
        if (c.n >= 3 && c.sum / c.n < SPLIT_COHERENCE && model.theme(id)) incoherent.add(id);
      return { moved, merged, renamed, incoherent };
    },
  };
}

/** How many words a theme is named by. */
export const TOP_TERMS = 3;

/**
 * Each theme of before the pass that no longer exists, mapped to the theme that took most of its items: the one it
 * was merged into (following later merges), else the most common destination of its items.
 */
function whereThemesWent(
  model: ThemeModel,
  existed: ReadonlySet<number>,
  merged: readonly { from: number; into: number }[],
  destinations: ReadonlyMap<number, ReadonlyMap<number, number>>,
): Map<number, number> {
  const into = new Map(merged.map((m) => [m.from, m.into]));
  const follow = (id: number): number => {
    let current = id;
    for (let hops = 0; hops < 1000 && !model.theme(current); hops++) {
      const next = into.get(current) ?? mostCommon(destinations.get(current));
      if (next === undefined) return current;
      current = next;
    }
    return current;
  };
  const renamed = new Map<number, number>();
  for (const id of existed) {
    if (model.theme(id)) continue;
    const target = follow(id);
    if (target !== id && model.theme(target)) renamed.set(id, target);
  }
  return renamed;
}

function mostCommon(row: ReadonlyMap<number, number> | undefined): number | undefined {
  let best: [number, number] | undefined;
  for (const [id, n] of row ?? [])
    if (!best || n > best[1] || (n === best[1] && id < best[0])) best = [id, n];
  return best?.[0];
}
