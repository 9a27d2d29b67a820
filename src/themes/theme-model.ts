import { createVocabulary, type Vocabulary } from './vocabulary.js';

/**
 * Themes as groups of items with similar words. Each item is a set of terms (see terms.ts) weighted by TF-IDF;
 * a theme is the centroid of its items (the share of its items holding each term, times the term's IDF). A new
 * item joins the theme whose centroid is nearest by cosine similarity when that similarity reaches
 * `joinThreshold`, else it starts a theme of its own. Terms below MIN_CENTROID_SHARE of a theme's items are left
 * out of its centroid. Themes keep their id as they gain items; `regroup.ts`
 * refines them in the background. An inverted index (term -> themes holding it) keeps assignment to the themes
 * that share a word with the item. Theme norms are refreshed when a theme changes and by each regroup pass,
 * so the IDF drift of other themes between two passes is tolerated.
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

export type Theme = {
  readonly id: number;
  /** For each term, how many of the theme's items hold it. */
  readonly counts: Map<string, number>;
  readonly items: Set<number>;
  norm: number;
};

export type Assignment = { themeId: number; similarity: number; created: boolean };

export type ThemeModel = {
  readonly vocabulary: Vocabulary;
  readonly joinThreshold: number;
  /** A new item: counted in the vocabulary, then put in the nearest theme or a new one. */
  assign(itemId: number, terms: readonly string[], surfaces?: ReadonlyMap<string, string>): Assignment;
  /** A stored item back into its stored theme (at start-up), without searching. */
  restore(itemId: number, terms: readonly string[], themeId: number): void;
  /** The best theme for these terms among the current ones, skipping `except`; undefined when none shares a term. */
  nearest(terms: readonly string[], except?: number): { themeId: number; similarity: number } | undefined;
  /** Move an item to a theme (created when unknown), or out of every theme (`undefined`); a theme left empty
   * is dropped, and its id may be given back to an item moved into it. */
  move(itemId: number, themeId: number | undefined): void;
  /** Every item of theme `from` into theme `into`, at once (`from` is dropped). */
  merge(from: number, into: number): void;
  /** A theme id not used yet. */
  newThemeId(): number;
  themeOf(itemId: number): number | undefined;
  termsOf(itemId: number): readonly string[] | undefined;
  theme(themeId: number): Theme | undefined;
  themes(): IterableIterator<Theme>;
  /** Ids of the themes holding at least one of these terms. */
  sharing(terms: Iterable<string>): Set<number>;
  /** Cosine similarity of two themes' centroids. */
  themeSimilarity(a: Theme, b: Theme): number;
  /** Recompute every theme's norm with the current IDF. */
  refreshNorms(): void;
  /** The theme's top terms by centroid weight, as words. */
  name(themeId: number, count?: number): string[];
};

export function createThemeModel(options: ThemeModelOptions = {}): ThemeModel {
  const joinThreshold = options.joinThreshold ?? DEFAULT_JOIN_THRESHOLD;
  const vocabulary = createVocabulary();
  const themes = new Map<number, Theme>();
  const postings = new Map<string, Set<number>>();
  const itemTerms = new Map<number, readonly string[]>();
  const itemTheme = new Map<number, number>();
  let nextId = options.firstId ?? 1;

  const weight = (theme: Theme, term: string): number => {
    const share = (theme.counts.get(term) ?? 0) / theme.items.size;
    return share < MIN_CENTROID_SHARE ? 0 : share * vocabulary.idf(term);
  };
  const normOf = (theme: Theme): number => {
    let sum = 0;
    for (const term of theme.counts.keys()) sum += weight(theme, term) ** 2;
    return Math.sqrt(sum);
  };
  const ensureTheme = (id: number): Theme => {
    let theme = themes.get(id);
    if (!theme) {
      theme = { id, counts: new Map(), items: new Set(), norm: 0 };
      themes.set(id, theme);
      if (id >= nextId) nextId = id + 1;
    }
    return theme;
  };
  const attach = (itemId: number, theme: Theme): void => {
    const terms = itemTerms.get(itemId) ?? [];
    theme.items.add(itemId);
    for (const t of terms) {
      const n = theme.counts.get(t) ?? 0;
      theme.counts.set(t, n + 1);
      if (n === 0) getPosting(t).add(theme.id);
    }
    itemTheme.set(itemId, theme.id);
    theme.norm = normOf(theme);
  };
  const detach = (itemId: number): void => {
    const theme = themes.get(itemTheme.get(itemId) ?? -1);
    if (!theme) return;
    theme.items.delete(itemId);
    for (const t of itemTerms.get(itemId) ?? []) {
      const n = (theme.counts.get(t) ?? 1) - 1;
      if (n > 0) theme.counts.set(t, n);
      else {
        theme.counts.delete(t);
        postings.get(t)?.delete(theme.id);
      }
    }
    itemTheme.delete(itemId);
    if (theme.items.size === 0) themes.delete(theme.id);
    else theme.norm = normOf(theme);
  };
  const getPosting = (term: string): Set<number> => {
    let set = postings.get(term);
    if (!set) {
      set = new Set();
      postings.set(term, set);
    }
    return set;
  };

  const nearest: ThemeModel['nearest'] = (terms, except) => {
    const dots = new Map<number, number>();
    let queryNorm = 0;
    for (const term of terms) {
      const idf = vocabulary.idf(term);
      queryNorm += idf * idf;
      for (const id of postings.get(term) ?? []) {
        if (id === except) continue;
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

  return {
    vocabulary,
    joinThreshold,
    assign(itemId, terms, surfaces) {
      vocabulary.add(terms, surfaces);
      itemTerms.set(itemId, terms);
      const best = nearest(terms);
      const created = !best || best.similarity < joinThreshold;
      const theme = created ? ensureTheme(nextId) : ensureTheme(best.themeId);
      attach(itemId, theme);
      return { themeId: theme.id, similarity: created ? 1 : (best?.similarity ?? 1), created };
    },
    restore(itemId, terms, themeId) {
      vocabulary.add(terms);
      itemTerms.set(itemId, terms);
      attach(itemId, ensureTheme(themeId));
    },
    nearest,
    move(itemId, themeId) {
      if (itemTheme.get(itemId) === themeId) return;
      detach(itemId);
      if (themeId !== undefined) attach(itemId, ensureTheme(themeId));
    },
    merge(fromId, intoId) {
      const from = themes.get(fromId);
      const into = themes.get(intoId);
      if (!from || !into || from === into) return;
      for (const [term, n] of from.counts) {
        const had = into.counts.get(term) ?? 0;
        into.counts.set(term, had + n);
        const posting = getPosting(term);
        posting.delete(fromId);
        posting.add(intoId);
      }
      for (const item of from.items) {
        into.items.add(item);
        itemTheme.set(item, intoId);
      }
      themes.delete(fromId);
      into.norm = normOf(into);
    },
    newThemeId: () => nextId,
    themeOf: (itemId) => itemTheme.get(itemId),
    termsOf: (itemId) => itemTerms.get(itemId),
    theme: (themeId) => themes.get(themeId),
    themes: () => themes.values(),
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
    refreshNorms() {
      for (const theme of themes.values()) theme.norm = normOf(theme);
    },
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
}
