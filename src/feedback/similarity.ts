import { tokenize } from '../text/normalize.js';

/**
 * Recurring complaints: is a new report like earlier ones? Jaccard similarity over the sets of meaningful
 * words (folded for case and accents, stop words and one-letter tokens dropped, light plural stemming),
 * plus "same customer". Pure: the caller loads the candidates.
 */

const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could customer customers did do does for from had has have he her him his ' +
    'i if in into is it its me my no not of on or our she so than that the their them then there they this to ' +
    'too us was we were what when which who why will with would you your again also just very still ' +
    'says said told asked about after before all any some get got'
  ).split(' '),
);

/** At most this many words per report are compared (the first ones: the summary, then the details). */
export const MAX_CONTENT_WORDS = 200;

/** The words that carry meaning, as a set ("Charged twice!" and "charged TWICE" give the same set). */
export function contentWords(text: string, max = MAX_CONTENT_WORDS): Set<string> {
  const words = new Set<string>();
  for (const token of tokenize(text)) {
    if (token.length < 2 || STOP_WORDS.has(token)) continue;
    words.add(token.length > 3 && token.endsWith('s') && !token.endsWith('ss') ? token.slice(0, -1) : token);
    if (words.size >= max) break;
  }
  return words;
}

/** |A ∩ B| / |A ∪ B|; 0 when both are empty. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const w of small) if (large.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}

export type SimilarityCandidate = { id: number; customerId: number | undefined; text: string };
export type SimilarMatch = { id: number; reason: 'customer' | 'text'; score: number };

/** Candidates that match the new report, best first: same customer (score 1) or text at/above the threshold. */
export function findSimilar(
  report: { customerId: number | undefined; text: string },
  candidates: readonly SimilarityCandidate[],
  threshold: number,
): SimilarMatch[] {
  const words = contentWords(report.text);
  const matches: SimilarMatch[] = [];
  for (const c of candidates) {
    if (report.customerId !== undefined && c.customerId === report.customerId) {
      matches.push({ id: c.id, reason: 'customer', score: 1 });
      continue;
    }
    const score = jaccard(words, contentWords(c.text));
    if (score >= threshold) matches.push({ id: c.id, reason: 'text', score });
  }
  return matches.sort((x, y) => y.score - x.score || y.id - x.id);
}

/** Jaccard similarity from counts: `shared` words in common between sets of `a` and `b` words. */
export function jaccardFromCounts(shared: number, a: number, b: number): number {
  const union = a + b - shared;
  return union <= 0 ? 0 : shared / union;
}

/** An earlier report as the word index sees it: how many words it shares with the new one, of how many. */
export type IndexedCandidate = { id: number; sameCustomer: boolean; shared: number; wordCount: number };

/** Same decision as findSimilar, from the word index's counts (the database does the set intersection). */
export function rankSimilar(
  wordCount: number,
  candidates: readonly IndexedCandidate[],
  threshold: number,
): SimilarMatch[] {
  const matches: SimilarMatch[] = [];
  for (const c of candidates) {
    if (c.sameCustomer) {
      matches.push({ id: c.id, reason: 'customer', score: 1 });
      continue;
    }
    const score = jaccardFromCounts(c.shared, wordCount, c.wordCount);
    if (score >= threshold) matches.push({ id: c.id, reason: 'text', score });
  }
  return matches.sort((x, y) => y.score - x.score || y.id - x.id);
}
