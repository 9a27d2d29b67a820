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
/** A candidate whose words were extracted when it was filed. */
export type WordsCandidate = { id: number; customerId: number | undefined; words: ReadonlySet<string> };

/** Candidates that match the new report, best first: same customer (score 1) or text at/above the threshold. */
export function findSimilar(
  report: { customerId: number | undefined; text: string },
  candidates: readonly SimilarityCandidate[],
  threshold: number,
): SimilarMatch[] {
  return findSimilarByWords(
    { customerId: report.customerId, words: contentWords(report.text) },
    candidates.map((c) => ({ id: c.id, customerId: c.customerId, words: contentWords(c.text) })),
    threshold,
  );
}

/**
 * The same decision over word sets extracted beforehand, every match in order: the plain statement of the rule,
 * which intake's `bestSimilarByWords` is tested to agree with.
 */
export function findSimilarByWords(
  report: { customerId: number | undefined; words: ReadonlySet<string> },
  candidates: readonly WordsCandidate[],
  threshold: number,
): SimilarMatch[] {
  const matches: SimilarMatch[] = [];
  for (const c of candidates) {
    if (report.customerId !== undefined && c.customerId === report.customerId) {
      matches.push({ id: c.id, reason: 'customer', score: 1 });
      continue;
    }
    const score = jaccard(report.words, c.words);
    if (score >= threshold) matches.push({ id: c.id, reason: 'text', score });
  }
  return matches.sort((x, y) => y.score - x.score || y.id - x.id);
}

/** `jaccard(new Set(words), b)` for distinct `words`, making no object. */
function jaccardOf(words: readonly string[], b: ReadonlySet<string>): number {
  if (words.length === 0 && b.size === 0) return 0;
  let shared = 0;
  for (let i = 0; i < words.length; i += 1) if (b.has(words[i] as string)) shared += 1;
  return shared / (words.length + b.size - shared);
}

/** Whether a match of `score` with item `id` ranks before `other`: higher score, then the later report. */
const ranksBefore = (score: number, id: number, other: SimilarMatch) =>
  score > other.score || (score === other.score && id > other.id);

/**
 * What intake uses: how many candidates match, and the `keep` best of them in order (best first), without a
 * match object and a sort for every candidate (a burst of one complaint matches all ~200 recent reports on
 * each filing). Candidates are looked at newest last in, so mostly newest first: of equal scores the first
 * seen ranks first and the rest are only counted.
 */
export function bestSimilarByWords(
  report: { customerId: number | undefined; words: ReadonlySet<string> },
  candidates: readonly WordsCandidate[],
  threshold: number,
  keep: number,
): { total: number; best: SimilarMatch[] } {
  const best: SimilarMatch[] = [];
  let total = 0;
  // The report's words as an array once: a Set iterator per comparison was most of this function's garbage.
  const words = [...report.words];
  for (let i = candidates.length - 1; i >= 0; i -= 1) {
    const c = candidates[i] as WordsCandidate;
    const sameCustomer = report.customerId !== undefined && c.customerId === report.customerId;
    const score = sameCustomer ? 1 : jaccardOf(words, c.words);
    if (!sameCustomer && score < threshold) continue;
    total += 1;
    const last = best[best.length - 1];
    if (best.length >= keep && last && !ranksBefore(score, c.id, last)) continue;
    let at = best.length;
    while (at > 0 && ranksBefore(score, c.id, best[at - 1] as SimilarMatch)) at -= 1;
    best.splice(at, 0, { id: c.id, reason: sameCustomer ? 'customer' : 'text', score });
    if (best.length > keep) best.pop();
  }
  return { total, best };
}
