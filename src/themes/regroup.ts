import { createThemeMerger, type ThemeMerger } from './merge-themes.js';
import { mapThemesByOverlap } from './overlap.js';
import type { ThemeModel } from './theme-model.js';

/**
 * The background regrouping pass, in slices a job can run between other work (`step(budget)` does at most
 * `budget` units and says whether the pass is done):
 * 1. refresh every theme's norm with the current IDF;
 * 2. merge themes best pair first while their centroids are at least `mergeThreshold` similar (merge-themes.ts):
 *    intake makes small, tight themes; this joins the ones that are the same complaint in other words;
 * 3. k-means-style reassignment, leave-one-out: each item is taken out of its theme and put in the nearest one
 *    that reaches the join threshold, else back (so early mistakes and lone items find their theme).
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

type Phase = 'norms' | 'neighbours' | 'merge' | 'reassign' | 'done';

export function startRegroup(model: ThemeModel, mergeThreshold = DEFAULT_MERGE_THRESHOLD): RegroupPass {
  const before = snapshot(model);
  const items = [...before.keys()];
  let merger: ThemeMerger | undefined;
  let phase: Phase = 'norms';
  let cursor = 0;
  let moved = 0;
  const merged: { from: number; into: number }[] = [];
  let renamed: Map<number, number> | undefined;

  const work = (): void => {
    if (phase === 'norms') {
      model.refreshNorms();
      merger = createThemeMerger(model, mergeThreshold);
      phase = 'neighbours';
    } else if (phase === 'neighbours') {
      if (!merger?.prepareOne()) phase = 'merge';
    } else if (phase === 'merge') {
      const merge = merger?.mergeBest();
      if (merge) merged.push(merge);
      else phase = 'reassign';
    } else if (cursor < items.length) {
      if (reassignItem(model, items[cursor++] as number)) moved++;
    } else {
      renamed = mapThemesByOverlap(before, snapshot(model));
      phase = 'done';
    }
  };

  return {
    step(budget) {
      for (let units = 0; phase !== 'done' && units < budget; units++) work();
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
