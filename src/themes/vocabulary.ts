/**
 * Document frequencies of theme terms over every item seen, for TF-IDF weights, and the word each stem is shown
 * as. Grows with each item; nothing is removed (an item is only ever regrouped, not unseen).
 */
export type Vocabulary = {
  /** Count one item's distinct terms. */
  add(terms: readonly string[], surfaces?: ReadonlyMap<string, string>): void;
  /** Smoothed inverse document frequency: ln((1 + N) / (1 + df)) + 1; rare words weigh more. */
  idf(term: string): number;
  /** The word a stem stands for ("charg" -> "charge"): the shortest one seen (singular forms win), else the stem. */
  surface(term: string): string;
  readonly documents: number;
  /** A stored document frequency and word (at start-up), then the stored number of documents. */
  restore(term: string, df: number, surface: string): void;
  restoreDocuments(documents: number): void;
};

export function createVocabulary(): Vocabulary {
  const df = new Map<string, number>();
  const surfaces = new Map<string, string>();
  let documents = 0;
  return {
    add(terms, seen) {
      documents++;
      for (const t of terms) {
        df.set(t, (df.get(t) ?? 0) + 1);
        const word = seen?.get(t);
        const known = surfaces.get(t);
        if (word !== undefined && (known === undefined || word.length < known.length)) surfaces.set(t, word);
      }
    },
    idf(term) {
      return Math.log((1 + documents) / (1 + (df.get(term) ?? 0))) + 1;
    },
    surface(term) {
      return surfaces.get(term) ?? term;
    },
    get documents() {
      return documents;
    },
    restore(term, count, surface) {
      df.set(term, count);
      if (surface !== term) surfaces.set(term, surface);
    },
    restoreDocuments(count) {
      documents = count;
    },
  };
}
