import type { Theme, ThemeModel } from './theme-model.js';

/**
 * Agglomerative merging of themes, best pair first: the two themes whose centroids are most similar are merged
 * (into the larger; ties: the lower id, which keeps its id), then the next best pair, until no pair reaches the
 * threshold. Best-first makes the outcome independent of the order themes were made in. Each theme's nearest
 * neighbour is kept, so one merge costs the themes sharing a word with the merged one, not all pairs.
 */
export type ThemeMerger = {
  /** Find the nearest neighbour of one more theme; false when every theme has one. */
  prepareOne(): boolean;
  /** Merge the best pair; undefined when no pair reaches the threshold. */
  mergeBest(): { from: number; into: number } | undefined;
};

type Neighbour = { id: number; similarity: number };

export function createThemeMerger(model: ThemeModel, threshold: number): ThemeMerger {
  const pending = [...model.themes()].map((t) => t.id);
  const nearest = new Map<number, Neighbour>();

  const neighbourOf = (theme: Theme): Neighbour | undefined => {
    let best: Neighbour | undefined;
    for (const id of model.sharing(theme.counts.keys())) {
      const other = model.theme(id);
      if (!other || id === theme.id) continue;
      const similarity = model.themeSimilarity(theme, other);
      if (!best || similarity > best.similarity || (similarity === best.similarity && id < best.id)) {
        best = { id, similarity };
      }
    }
    return best;
  };
  const refresh = (id: number): void => {
    const theme = model.theme(id);
    const best = theme ? neighbourOf(theme) : undefined;
    if (best) nearest.set(id, best);
    else nearest.delete(id);
  };

  return {
    prepareOne() {
      const id = pending.pop();
      if (id === undefined) return false;
      refresh(id);
      return true;
    },
    mergeBest() {
      let pair: [number, Neighbour] | undefined;
      for (const [id, n] of nearest) {
        if (
          !pair ||
          n.similarity > pair[1].similarity ||
          (n.similarity === pair[1].similarity && id < pair[0])
        ) {
          pair = [id, n];
        }
      }
      if (!pair || pair[1].similarity < threshold) return undefined;
      const a = model.theme(pair[0]);
      const b = model.theme(pair[1].id);
      if (!a || !b) {
        refresh(pair[0]);
        return this.mergeBest();
      }
      const keepB = b.size > a.size || (b.size === a.size && b.id < a.id);
      const [from, into] = keepB ? [a, b] : [b, a];
      model.merge(from.id, into.id);
      nearest.delete(from.id);
      refresh(into.id);
      for (const [id, n] of nearest) if (n.id === from.id || n.id === into.id) refresh(id);
      return { from: from.id, into: into.id };
    },
  };
}
