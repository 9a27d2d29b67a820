import { createVocabulary, type Vocabulary } from './vocabulary.js';

/**
 * Themes as groups of items with similar words. Each item is a set of terms (see terms.ts) weighted by TF-IDF;
 * a theme is the centroid of its items (the share of its items holding each term, times the term's IDF). A new
 * item joins the theme whose centroid is nearest by cosine similarity when that similarity reaches
 * `joinThreshold`, else it starts a theme of its own. Terms below MIN_CENTROID_SHARE of a theme's items are left
 * out of its centroid.
 *
 * The model keeps only what assignment needs, whatever the history's length: per theme its size and how many of
 * its items hold each term, the document frequencies, and an inverted index (term -> themes holding it) so an
 * item is compared with the themes that share a word with it, not all of them. Which item is in which theme is
 * the caller's (the database's `theme_id`): `add` and `remove` take the item's terms. Theme norms follow each
 * change of a small theme at once and a large one's after every 1/NORM_DRIFT of growth (a big centroid barely
 * moves with one item); each regroup pass refreshes them all, which also absorbs the IDF drift between passes.
 */

export type ThemeModelOptions = {
  /** Cosine similarity an item needs to join an existing theme (default DEFAULT_JOIN_THRESHOLD). */
  joinThreshold?: number;
  /** First theme id handed out (the wiring passes the highest stored id + 1). */
  firstId?: number;
};

export const DEFAULT_JOIN_THRESHOLD = 0.2;

/**
 * A term held by fewer than this share of a theme's items does not count in its centroid: a theme is what most
 * of its items say, and a stray word ("order", "again") cannot pull unrelated items in (with five items or
 * fewer every term counts).
 */
export const MIN_CENTROID_SHARE = 0.2;

/** A theme's norm is recomputed when its size has moved by this share since it last was (always below 32 items). */
const NORM_DRIFT = 1 / 32;

export type Theme = {
  readonly id: number;
  /** For each term, how many of the theme's items hold it. */
  readonly counts: Map<string, number>;
  size: number;
  norm: number;
  /** The size the norm was computed at. */
  normSize: number;
};

export type Choice = { themeId: number; similarity: number; created: boolean };

export type ThemeModel = {
  readonly vocabulary: Vocabulary;
  readonly joinThreshold: number;
  /** The theme a new item with these terms belongs in: the nearest reaching the threshold, else a new id. */
  choose(terms: readonly string[]): Choice;
  /** A new item: counted in the vocabulary, then added to the theme `choose` gives; none without terms. */
  assign(terms: readonly string[], surfaces?: ReadonlyMap<string, string>): Choice | undefined;
  /** The best theme for these terms among the current ones, skipping `except`; undefined when none shares a term. */
  nearest(
    terms: readonly string[],
    except?: ReadonlySet<number>,
  ): { themeId: number; similarity: number } | undefined;
  /** An item with these terms enters a theme (created when unknown). */
  add(themeId: number, terms: readonly string[]): void;
  /** A stored theme (at start-up): its number of items and, per term, how many of them hold it. */
  load(themeId: number, size: number, counts: Iterable<[string, number]>): void;
  /** An item with these terms leaves its theme; a theme left empty is dropped. */
  remove(themeId: number, terms: readonly string[]): void;
  /**
   * Forget the theme's terms held by fewer than `minShare` of its items (a large theme's long tail of words one
   * item each used), so memory follows the themes' vocabulary rather than the history; returns them. Such a term
   * is far below MIN_CENTROID_SHARE: its weight was 0, and counting it again from 0 changes no centroid.
   */
  prune(themeId: number, minShare: number): string[];
  /** Every item of theme `from` into theme `into`, at once (`from` is dropped). */
  merge(from: number, into: number): void;
  /** A theme id not used yet (and never handed out again). */
  newThemeId(): number;
  /** Ids at or above this one are free (a theme stored with this id moves it up). */
  reserveId(id: number): void;
  theme(themeId: number): Theme | undefined;
  themes(): IterableIterator<Theme>;
  readonly size: number;
  /** Ids of the themes holding at least one of these terms. */
  sharing(terms: Iterable<string>): Set<number>;
  /** Cosine similarity of two themes' centroids. */
  themeSimilarity(a: Theme, b: Theme): number;
  /** Recompute one theme's norm with the current IDF. */
  refreshNorm(theme: Theme): void;
  /** The theme's top terms by centroid weight, as words. */
  name(themeId: number, count?: number): string[];
};

export function createThemeModel(options: ThemeModelOptions = {}): ThemeModel {
  const joinThreshold = options.joinThreshold ?? DEFAULT_JOIN_THRESHOLD;
  const vocabulary = createVocabulary();
  const themes = new Map<number, Theme>();
  const postings = new Map<string, Set<number>>();
  let nextId = options.firstId ?? 1;

  const weight = (theme: Theme, term: string): number => {
    const share = (theme.counts.get(term) ?? 0) / theme.size;
    return share < MIN_CENTROID_SHARE ? 0 : share * vocabulary.idf(term);
  };
  const refreshNorm = (theme: Theme): void => {
    let sum = 0;
    for (const term of theme.counts.keys()) sum += weight(theme, term) ** 2;
    theme.norm = Math.sqrt(sum);
    theme.normSize = theme.size;
  };
  const touch = (theme: Theme): void => {
    if (theme.size < 32 || Math.abs(theme.size - theme.normSize) >= theme.normSize * NORM_DRIFT) {
      refreshNorm(theme);
    }
  };
  const getPosting = (term: string): Set<number> => {
    let set = postings.get(term);
    if (!set) {
      set = new Set();
      postings.set(term, set);
    }
    return set;
  };
  const ensureTheme = (id: number): Theme => {
    let theme = themes.get(id);
    if (!theme) {
      theme = { id, counts: new Map(), size: 0, norm: 0, normSize: 0 };
      themes.set(id, theme);
      if (id >= nextId) nextId = id + 1;
    }
    return theme;
  };

  const nearest: ThemeModel['nearest'] = (terms, except) => {
    const dots = new Map<number, number>();
    let queryNorm = 0;
    for (const term of terms) {
      const idf = vocabulary.idf(term);
      queryNorm += idf * idf;
      for (const id of postings.get(term) ?? []) {
        if (except?.has(id)) continue;
        const theme = themes.get(id) as Theme;
        dots.set(id, (dots.get(id) ?? 0) + idf * weight(theme, term));
      }
    }
    let best: { themeId: number; similarity: number } | undefined;
    for (const [id, dot] of dots) {
      const theme = themes.get(id) as Theme;
      const similarity = theme.norm > 0 ? dot / (Math.sqrt(queryNorm) * theme.norm) : 0;
      if (!best || similarity > best.similarity || (similarity === best.similarity && id < best.themeId)) {
        best = { themeId: id, similarity };
      }
    }
    return best;
  };

  const choose: ThemeModel['choose'] = (terms) => {
    const best = nearest(terms);
    if (best && best.similarity >= joinThreshold) return { ...best, created: false };
    return { themeId: nextId, similarity: 1, created: true };
  };
  const model: ThemeModel = {
    vocabulary,
    joinThreshold,
    choose,
    assign(terms, surfaces) {
      if (terms.length === 0) return undefined;
      vocabulary.add(terms, surfaces);
      const choice = choose(terms);
      model.add(choice.themeId, terms);
      return choice;
    },
    nearest,
    add(themeId, terms) {
      const theme = ensureTheme(themeId);
      theme.size++;
      for (const t of terms) {
        const n = theme.counts.get(t) ?? 0;
        theme.counts.set(t, n + 1);
        if (n === 0) getPosting(t).add(theme.id);
      }
      touch(theme);
    },
    load(themeId, size, counts) {
      const theme = ensureTheme(themeId);
      theme.size = size;
      for (const [term, n] of counts) {
        theme.counts.set(term, n);
        getPosting(term).add(themeId);
      }
    },
    remove(themeId, terms) {
      const theme = themes.get(themeId);
      if (!theme) return;
      theme.size--;
      for (const t of terms) {
        const n = (theme.counts.get(t) ?? 1) - 1;
        if (n > 0) theme.counts.set(t, n);
        else if (theme.counts.delete(t)) postings.get(t)?.delete(theme.id);
      }
      if (theme.size <= 0) {
        for (const t of theme.counts.keys()) postings.get(t)?.delete(theme.id);
        themes.delete(theme.id);
      } else touch(theme);
    },
    prune(themeId, minShare) {
      const theme = themes.get(themeId);
      if (!theme) return [];
      const dropped: string[] = [];
      for (const [term, n] of theme.counts) {
        if (n >= theme.size * minShare) continue;
        theme.counts.delete(term);
        postings.get(term)?.delete(themeId);
        dropped.push(term);
      }
      return dropped;
    },
    merge(fromId, intoId) {
      const from = themes.get(fromId);
      const into = themes.get(intoId);
      if (!from || !into || from === into) return;
      for (const [term, n] of from.counts) {
        into.counts.set(term, (into.counts.get(term) ?? 0) + n);
        const posting = getPosting(term);
        posting.delete(fromId);
        posting.add(intoId);
      }
      into.size += from.size;
      themes.delete(fromId);
      refreshNorm(into);
    },
    newThemeId: () => nextId,
    reserveId(id) {
      if (id >= nextId) nextId = id + 1;
    },
    theme: (themeId) => themes.get(themeId),
    themes: () => themes.values(),
    get size() {
      return themes.size;
    },
    sharing(terms) {
      const ids = new Set<number>();
      for (const term of terms) for (const id of postings.get(term) ?? []) ids.add(id);
      return ids;
    },
    themeSimilarity(a, b) {
      if (a.norm === 0 || b.norm === 0) return 0;
      const [small, large] = a.counts.size <= b.counts.size ? [a, b] : [b, a];
      let dot = 0;
      for (const term of small.counts.keys()) {
        if (large.counts.has(term)) dot += weight(small, term) * weight(large, term);
      }
      return dot / (a.norm * b.norm);
    },
    refreshNorm,
    name(themeId, count = 3) {
      const theme = themes.get(themeId);
      if (!theme) return [];
      // Words most of the theme shares first (a word one item used is no name), then by weight.
      const shared = (term: string) => ((theme.counts.get(term) ?? 0) > 1 ? 1 : 0);
      return [...theme.counts.keys()]
        .map((term) => ({ term, shared: shared(term), w: weight(theme, term) }))
        .sort((x, y) => y.shared - x.shared || y.w - x.w || (x.term < y.term ? -1 : 1))
        .slice(0, count)
        .map((x) => vocabulary.surface(x.term));
    },
  };
  return model;
}
