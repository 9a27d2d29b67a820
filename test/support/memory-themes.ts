import type { ThemeLanguage } from '../../src/text/languages.js';
import {
  type RegroupResult,
  startRegroup,
  type ThemedItem,
  type ThemeItems,
} from '../../src/themes/regroup.js';
import { createTermExtractor } from '../../src/themes/terms.js';
import { createThemeModel, type ThemeModel, type ThemeModelOptions } from '../../src/themes/theme-model.js';

/**
 * The theme model with its items kept in memory, as the database keeps them in the app: for unit tests of the
 * method on a fixed corpus. Implements the same `ThemeItems` contract the app's store does.
 */
export type MemoryThemes = {
  model: ThemeModel;
  /** File an item's text: its terms go to the vocabulary and the item to the nearest theme (or a new one). */
  file(itemId: number, text: string): number | undefined;
  themeOf(itemId: number): number | undefined;
  /** Items per theme. */
  sizeOf(themeId: number): number;
  /** One whole regroup pass, `budget` units at a time. */
  regroup(budget?: number): RegroupResult;
  /** Regroup passes until one changes nothing (at most ten), as the background job would over time. */
  settle(): void;
  /** What the last passes reported emptied and named. */
  readonly emptied: Map<number, number>;
  readonly names: Map<number, string[]>;
};

export function memoryThemes(language: ThemeLanguage = 'en', options: ThemeModelOptions = {}): MemoryThemes {
  const extract = createTermExtractor(language);
  const model = createThemeModel(options);
  const items = new Map<number, { terms: readonly string[]; themeId: number }>();
  const emptied = new Map<number, number>();
  const names = new Map<number, string[]>();
  const store: ThemeItems = {
    slice(after, limit) {
      const out: ThemedItem[] = [];
      for (const id of [...items.keys()].sort((a, b) => a - b)) {
        if (id <= after) continue;
        const item = items.get(id) as { terms: readonly string[]; themeId: number };
        if (item.terms.length > 0) out.push({ id, ...item });
        if (out.length === limit) break;
      }
      return out;
    },
    merged() {},
    pruned() {},
    follow(from, into, limit) {
      let n = 0;
      for (const item of items.values()) {
        if (n === limit) break;
        if (item.themeId === from) {
          item.themeId = into;
          n++;
        }
      }
      return n;
    },
    move(item, to) {
      const stored = items.get(item.id);
      if (stored) stored.themeId = to;
    },
    emptied: (id, into) => emptied.set(id, into),
    named: (id, terms) => names.set(id, terms),
  };
  let dissolve = new Set<number>();
  const regroup = (budget = 1000) => {
    const pass = startRegroup(model, store, { dissolve });
    while (!pass.step(budget)) {}
    const result = pass.result();
    dissolve = result.incoherent;
    return result;
  };
  return {
    model,
    file(itemId, text) {
      const { terms, surfaces } = extract(text);
      const choice = model.assign(terms, surfaces);
      if (choice) items.set(itemId, { terms, themeId: choice.themeId });
      return choice?.themeId;
    },
    themeOf: (itemId) => items.get(itemId)?.themeId,
    sizeOf: (themeId) => [...items.values()].filter((i) => i.themeId === themeId).length,
    regroup,
    settle() {
      for (let pass = 0; pass < 10; pass++) {
        const result = regroup();
        if (result.moved === 0 && result.merged.length === 0 && result.incoherent.size === 0) return;
      }
    },
    emptied,
    names,
  };
}
