import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';
import type { ThemedItem, ThemeItems } from './regroup.js';
import { createThemeModel, type ThemeModel, type ThemeModelOptions } from './theme-model.js';
import { createTheme, setItemTheme, setThemeMergedInto, setThemeTopTerms } from './theme-repo.js';

/**
 * The theme model's statistics in the database (migration 0016), written in the transaction that changes them,
 * and read back at start-up: themes, their term counts and the vocabulary, never the items. Items are read by
 * the regroup in slices (`themeItemsIn`). Call the writers inside the caller's transaction.
 */

/** The model as stored: every live theme with its term counts, the vocabulary, the number of items counted. */
export function loadThemeModel(db: Db, options: ThemeModelOptions = {}): ThemeModel {
  const maxId = (stmt(db, 'SELECT max(id) FROM themes').pluck().get() as number | null) ?? 0;
  const model = createThemeModel({ ...options, firstId: maxId + 1 });
  const sizes = new Map(
    (
      stmt(db, 'SELECT id, item_count FROM themes WHERE merged_into IS NULL AND item_count > 0').all() as {
        id: number;
        item_count: number;
      }[]
    ).map((r) => [r.id, r.item_count]),
  );
  let counts: [string, number][] = [];
  let current: number | undefined;
  const flush = () => {
    const size = current === undefined ? undefined : sizes.get(current);
    if (current !== undefined && size !== undefined) model.load(current, size, counts);
    counts = [];
  };
  for (const row of stmt(
    db,
    'SELECT theme_id, term, items FROM theme_term_counts ORDER BY theme_id',
  ).iterate() as Iterable<{
    theme_id: number;
    term: string;
    items: number;
  }>) {
    if (row.theme_id !== current) {
      flush();
      current = row.theme_id;
    }
    counts.push([row.term, row.items]);
  }
  flush();
  for (const row of stmt(db, 'SELECT term, items, surface FROM theme_vocabulary').iterate() as Iterable<{
    term: string;
    items: number;
    surface: string;
  }>) {
    model.vocabulary.restore(row.term, row.items, row.surface);
  }
  model.vocabulary.restoreDocuments(
    stmt(db, 'SELECT documents FROM theme_progress WHERE id = 1').pluck().get() as number,
  );
  return model;
}

/** One more item counted in the vocabulary: its terms, and the word each was seen as. */
export function countInVocabulary(
  db: Db,
  terms: readonly string[],
  surfaces: ReadonlyMap<string, string>,
): void {
  stmt(
    db,
    `INSERT INTO theme_vocabulary (term, items, surface)
       SELECT key, 1, value FROM json_each(?) WHERE true
     ON CONFLICT (term) DO UPDATE SET items = items + 1,
       surface = CASE WHEN length(excluded.surface) < length(surface) THEN excluded.surface ELSE surface END`,
  ).run(JSON.stringify(Object.fromEntries(terms.map((t) => [t, surfaces.get(t) ?? t]))));
  stmt(db, 'UPDATE theme_progress SET documents = documents + 1 WHERE id = 1').run();
}

/** An item's terms counted in a theme (`sign` 1) or taken out of it (-1). */
export function countInTheme(db: Db, themeId: number, terms: readonly string[], sign: 1 | -1): void {
  const json = JSON.stringify(terms);
  if (sign === 1) {
    stmt(
      db,
      `INSERT INTO theme_term_counts (theme_id, term, items) SELECT ?, value, 1 FROM json_each(?) WHERE true
       ON CONFLICT (theme_id, term) DO UPDATE SET items = items + 1`,
    ).run(themeId, json);
    return;
  }
  stmt(
    db,
    `UPDATE theme_term_counts SET items = items - 1
       WHERE theme_id = ? AND term IN (SELECT value FROM json_each(?))`,
  ).run(themeId, json);
  stmt(db, 'DELETE FROM theme_term_counts WHERE theme_id = ? AND items <= 0').run(themeId);
}

/** An item's terms as stored with it (a JSON array; '[]' when it has none). */
export function storeItemTerms(db: Db, itemId: number, terms: readonly string[]): void {
  stmt(db, 'UPDATE feedback_items SET theme_terms = ? WHERE id = ?').run(JSON.stringify(terms), itemId);
}

/** Put an item in a theme, creating the theme (named by the item's words) when `created` says it is new. */
export function placeItem(
  db: Db,
  item: { id: number; terms: readonly string[] },
  theme: { id: number; created: boolean; topTerms: () => string[] },
  now: number,
): void {
  const themeId = theme.id;
  if (theme.created) createTheme(db, theme.topTerms(), now, themeId);
  countInTheme(db, themeId, item.terms, 1);
  setItemTheme(db, item.id, themeId, now);
}

type ItemRow = { id: number; theme_id: number; theme_terms: string };

/** The items and themes a regroup works on, in the database. */
export function themeItemsIn(db: Db, model: ThemeModel, now: () => number): ThemeItems {
  return {
    slice(after, limit) {
      const rows = stmt(
        db,
        `SELECT id, theme_id, theme_terms FROM feedback_items INDEXED BY feedback_items_regroup
           WHERE id > ? AND theme_id IS NOT NULL AND theme_terms <> '[]' ORDER BY id LIMIT ?`,
      ).all(after, limit) as ItemRow[];
      return rows.map((r) => ({
        id: r.id,
        themeId: r.theme_id,
        terms: JSON.parse(r.theme_terms) as string[],
      }));
    },
    merged(from, into) {
      stmt(
        db,
        `INSERT INTO theme_term_counts (theme_id, term, items)
           SELECT ?, term, items FROM theme_term_counts WHERE theme_id = ? AND true
         ON CONFLICT (theme_id, term) DO UPDATE SET items = items + excluded.items`,
      ).run(into, from);
      stmt(db, 'DELETE FROM theme_term_counts WHERE theme_id = ?').run(from);
      setThemeMergedInto(db, from, into, now());
    },
    follow(from, into, limit) {
      const ids = stmt(db, 'SELECT id FROM feedback_items WHERE theme_id = ? LIMIT ?')
        .pluck()
        .all(from, limit) as number[];
      for (const id of ids) setItemTheme(db, id, into, now());
      return ids.length;
    },
    move(item: ThemedItem, to) {
      countInTheme(db, item.themeId, item.terms, -1);
      const created = !stmt(db, 'SELECT 1 FROM themes WHERE id = ?').get(to);
      placeItem(db, item, { id: to, created, topTerms: () => model.name(to) }, now());
    },
    pruned(themeId, terms) {
      stmt(
        db,
        'DELETE FROM theme_term_counts WHERE theme_id = ? AND term IN (SELECT value FROM json_each(?))',
      ).run(themeId, JSON.stringify(terms));
    },
    emptied: (id, into) => setThemeMergedInto(db, id, into, now()),
    named: (id, topTerms) => setThemeTopTerms(db, id, topTerms, now()),
  };
}
