import { describe, expect, it } from 'vitest';
import {
  bestSimilarByWords,
  contentWords,
  findSimilar,
  findSimilarByWords,
  jaccard,
  MAX_CONTENT_WORDS,
} from '../../src/feedback/similarity.js';

describe('contentWords', () => {
  it('folds case and accents, drops stop words and punctuation, and merges simple plurals', () => {
    expect([...contentWords('The customer says: Charged TWICE for the invoices!')].sort()).toEqual([
      'charged',
      'invoice',
      'twice',
    ]);
    expect(contentWords('Facturación incorrecta')).toEqual(contentWords('facturacion INCORRECTA'));
  });
});

describe('jaccard', () => {
  it('is 1 for equal sets, 0 for disjoint ones, and the overlap ratio in between', () => {
    expect(jaccard(new Set(['a', 'b']), new Set(['a', 'b']))).toBe(1);
    expect(jaccard(new Set(['a']), new Set(['b']))).toBe(0);
    expect(jaccard(new Set(['a', 'b', 'c']), new Set(['b', 'c', 'd']))).toBe(0.5);
    expect(jaccard(new Set(), new Set())).toBe(0);
  });
});

describe('findSimilar', () => {
  const candidates = [
    { id: 1, customerId: undefined, text: 'Charged twice for the March invoice' },
    { id: 2, customerId: undefined, text: 'The parcel never arrived' },
    { id: 3, customerId: 9, text: 'Rude agent on the phone' },
    { id: 4, customerId: undefined, text: 'customer was charged twice on the invoice in March!' },
  ];

  it('links reports with similar wording, not only identical text', () => {
    const matches = findSimilar(
      { customerId: undefined, text: 'charged twice, march invoice' },
      candidates,
      0.5,
    );
    expect(matches.map((m) => m.id).sort()).toEqual([1, 4]);
    expect(matches.every((m) => m.reason === 'text')).toBe(true);
  });

  it('does not link unrelated reports that share only common words', () => {
    expect(findSimilar({ customerId: undefined, text: 'The app crashed on login' }, candidates, 0.5)).toEqual(
      [],
    );
  });

  it('links every report from the same customer whatever it says', () => {
    const matches = findSimilar({ customerId: 9, text: 'Wrong size jacket' }, candidates, 0.5);
    expect(matches).toEqual([{ id: 3, reason: 'customer', score: 1 }]);
  });

  it('respects the threshold', () => {
    const text = 'charged twice for shoes';
    expect(findSimilar({ customerId: undefined, text }, candidates, 0.9)).toEqual([]);
    expect(findSimilar({ customerId: undefined, text }, candidates, 0.3).length).toBeGreaterThan(0);
  });
});

describe('findSimilarByWords (what intake uses, over stored word sets)', () => {
  const report = 'Customer was charged twice for the March invoice';
  const others = [
    { id: 1, customerId: undefined, text: 'charged twice on the April invoice' },
    { id: 2, customerId: undefined, text: 'The VAT number is missing from the receipt' },
    { id: 3, customerId: 7, text: 'Loved the new tent' },
    { id: 4, customerId: undefined, text: 'invoice charged twice, card statement shows it twice' },
  ];

  it('decides exactly as findSimilar does from the texts', () => {
    const stored = others.map((o) => ({ id: o.id, customerId: o.customerId, words: contentWords(o.text) }));
    for (const threshold of [0.2, 0.5, 0.8]) {
      const byWords = findSimilarByWords({ customerId: 7, words: contentWords(report) }, stored, threshold);
      expect(byWords).toEqual(findSimilar({ customerId: 7, text: report }, others, threshold));
      expect(byWords.map((m) => m.id)).toContain(3);
    }
  });

  it('compares at most the first MAX_CONTENT_WORDS words of a long report', () => {
    const long = Array.from({ length: 500 }, (_, i) => `word${i}`).join(' ');
    expect(contentWords(long).size).toBe(MAX_CONTENT_WORDS);
  });
});

describe('bestSimilarByWords (what intake keeps: the count and the best few, as it compares)', () => {
  const words = contentWords('invoice charged twice');
  // A burst: 30 reports alike (equal scores), two more alike, one of the same customer, one unrelated.
  const candidates = [
    ...Array.from({ length: 30 }, (_, i) => ({ id: i + 1, customerId: undefined, words })),
    { id: 31, customerId: undefined, words: contentWords('invoice charged twice again today') },
    { id: 32, customerId: 5, words: contentWords('tent zip broke') },
    { id: 33, customerId: undefined, words: contentWords('parcel never arrived') },
    { id: 34, customerId: undefined, words: contentWords('invoice charged twice, refund please') },
  ];

  it('counts every match and keeps the best few, in the order findSimilarByWords gives them', () => {
    const report = { customerId: 5, words };
    const all = findSimilarByWords(report, candidates, 0.5);
    const { total, best } = bestSimilarByWords(report, candidates, 0.5, 10);
    expect(total).toBe(all.length);
    expect(total).toBe(33);
    expect(best).toEqual(all.slice(0, 10));
    expect(best[0]).toEqual({ id: 32, reason: 'customer', score: 1 });
    expect(best.slice(1).map((m) => m.id)).toEqual([30, 29, 28, 27, 26, 25, 24, 23, 22]);
  });

  it('keeps nothing when nothing matches, and all of them when asked to', () => {
    expect(
      bestSimilarByWords({ customerId: undefined, words: contentWords('tent') }, candidates, 0.5, 10),
    ).toEqual({
      total: 0,
      best: [],
    });
    const report = { customerId: undefined, words };
    expect(bestSimilarByWords(report, candidates, 0.5, 100).best).toEqual(
      findSimilarByWords(report, candidates, 0.5),
    );
  });

  it('agrees with findSimilarByWords on reports of every overlap, customer or not', () => {
    const vocabulary = ['invoice', 'charged', 'twice', 'refund', 'parcel', 'late', 'app', 'crash', 'login'];
    const pool = Array.from({ length: 60 }, (_, i) => ({
      id: i + 1,
      customerId: i % 7 === 0 ? 3 : undefined,
      words: new Set(vocabulary.filter((_, w) => (i * 7 + w * 3) % 5 < 2)),
    }));
    for (const [customerId, threshold] of [
      [3, 0.3],
      [undefined, 0.5],
      [undefined, 0.2],
    ] as const) {
      const report = { customerId, words: new Set(['invoice', 'charged', 'twice', 'late']) };
      const all = findSimilarByWords(report, pool, threshold);
      expect(bestSimilarByWords(report, pool, threshold, 10)).toEqual({
        total: all.length,
        best: all.slice(0, 10),
      });
    }
  });
});
