import { mapThemesByOverlap } from './overlap.js';
import type { ThemeModel } from './theme-model.js';

/**
 * The background regrouping pass, in slices a job can run between other work (`step(budget)` does at most
 * `budget` units and says whether the pass is done):
 * 1. refresh every theme's norm with the current IDF;
 * 2. k-means-style reassignment: each item moves to the theme whose centroid is now nearest; an item alone in
 *    its theme moves only when another theme reaches the join threshold (so early singletons are absorbed);
 * 3. merging: a theme whose centroid is at least `mergeThreshold` similar to another's is merged into the
 *    larger one (ties: the older, lower id), which keeps its id.
 * Ids stay stable throughout; `renamed` in the result maps each theme of before the pass to the theme that
 * holds most of its items after it (mapThemesByOverlap), so references such as a team's focus can follow.
 */

export const DEFAULT_MERGE_THRESHOLD = 0.15;

export type RegroupResult = {
  moved: number;
  merged: { from: number; into: number }[];
  renamed: Map<number, number>;
};

export type RegroupPass = {
  /** Do at most `budget` units of work; true when the pass is finished. */
  step(budget: number): boolean;
  /** The outcome, once `step` has returned true. */
  result(): RegroupResult;
};

type Phase = 'norms' | 'reassign' | 'merge' | 'done';

export function startRegroup(model: ThemeModel, mergeThreshold = DEFAULT_MERGE_THRESHOLD): RegroupPass {
  const before = snapshot(model);
  const items = [...before.keys()];
  let themeIds = [...model.themes()].map((t) => t.id);
  let phase: Phase = 'norms';
  let cursor = 0;
  let moved = 0;
  const merged: { from: number; into: number }[] = [];
  let renamed: Map<number, number> | undefined;

  const advance = (next: Phase): void => {
    phase = next;
    cursor = 0;
    if (next === 'merge') themeIds = [...model.themes()].map((t) => t.id);
    if (next === 'done') renamed = mapThemesByOverlap(before, snapshot(model));
  };

  return {
    step(budget) {
      let units = 0;
      while (phase !== 'done' && units < budget) {
        if (phase === 'norms') {
          model.refreshNorms();
          units += Math.max(1, Math.ceil(themeIds.length / 64));
          advance('reassign');
        } else if (phase === 'reassign') {
          if (cursor >= items.length) advance('merge');
          else if (reassignItem(model, items[cursor++] as number)) moved++;
          units++;
        } else {
          if (cursor >= themeIds.length) advance('done');
          else {
            const merge = mergeTheme(model, themeIds[cursor++] as number, mergeThreshold);
            if (merge) merged.push(merge);
          }
          units++;
        }
      }
      return phase === 'done';
    },
    result() {
      if (!renamed) throw new Error('regroup pass not finished');
      return { moved, merged, renamed };
    },
  };
}

/** Run a whole pass at once (tests, tools). */
export function regroupAll(model: ThemeModel, mergeThreshold = DEFAULT_MERGE_THRESHOLD): RegroupResult {
  const pass = startRegroup(model, mergeThreshold);
  while (!pass.step(1000)) {}
  return pass.result();
}

function snapshot(model: ThemeModel): Map<number, number> {
  const map = new Map<number, number>();
  for (const theme of model.themes()) for (const item of theme.items) map.set(item, theme.id);
  return map;
}

/** Leave-one-out: the item is taken out of its theme, then put in the nearest theme that reaches the join threshold,
 * else back where it was. */
function reassignItem(model: ThemeModel, itemId: number): boolean {
  const current = model.themeOf(itemId);
  const terms = model.termsOf(itemId);
  if (current === undefined || !terms) return false;
  model.move(itemId, undefined);
  const best = model.nearest(terms);
  const target = best && best.similarity >= model.joinThreshold ? best.themeId : current;
  model.move(itemId, target);
  return target !== current;
}

function mergeTheme(
  model: ThemeModel,
  themeId: number,
  threshold: number,
): { from: number; into: number } | undefined {
  const theme = model.theme(themeId);
  if (!theme) return undefined;
  let best: { id: number; similarity: number } | undefined;
  for (const id of model.sharing(theme.counts.keys())) {
    const other = model.theme(id);
    if (!other || id === themeId) continue;
    const similarity = model.themeSimilarity(theme, other);
    if (!best || similarity > best.similarity) best = { id, similarity };
  }
  if (!best || best.similarity < threshold) return undefined;
  const other = model.theme(best.id);
  if (!other) return undefined;
  const keepOther =
    other.items.size > theme.items.size || (other.items.size === theme.items.size && other.id < theme.id);
  const [from, into] = keepOther ? [theme, other] : [other, theme];
  for (const item of [...from.items]) model.move(item, into.id);
  return { from: from.id, into: into.id };
}
