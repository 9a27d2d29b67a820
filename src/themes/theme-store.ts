import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';
import type { RegroupPosition, ThemedItem, ThemeItems } from './regroup.js';
import { createThemeModel, type ThemeModel, type ThemeModelOptions } from './theme-model.js';
import {
  createTheme,
  resolveTheme,
  setItemTheme,
  setThemeMergedInto,
  setThemeTopTerms,
} from './theme-repo.js';

/**
 * The theme model's statistics in the database (migration 0016), written in the transaction that changes them,
 * and read back at start-up: themes, their term counts and the vocabulary, never the items. Items are read by
 * the regroup in slices (`themeItemsIn`). Call the writers inside the caller's transaction.
 */

/**
 * The model as stored: every theme holding items with its term counts, the vocabulary, the number of items
 * counted. A merged theme whose items have not all followed yet (a regroup stopped mid-way, see `follow` below)
 * still holds them and their counts; the model counts them in the theme they are going to, as the merge did.
 * Norms are computed here, so a process that just started assigns with them before its first regroup.
 */
export function loadThemeModel(db: Db, options: ThemeModelOptions = {}): ThemeModel {
  const maxId = (stmt(db, 'SELECT max(id) FROM themes').pluck().get() as number | null) ?? 0;
  const model = createThemeModel({ ...options, firstId: maxId + 1 });
  const sizes = new Map(
    (
      stmt(db, 'SELECT id, item_count FROM themes WHERE item_count > 0').all() as {
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
  for (const { from, into } of unfinishedMerges(db)) {
    if (!model.theme(into)) model.load(into, 0, []);
    if (!model.theme(from)) model.load(from, sizes.get(from) ?? 0, []);
    model.merge(from, into);
  }
  for (const theme of model.themes()) model.refreshNorm(theme);
  return model;
}

/**
 * The merged themes still holding items (their move was stopped between slices), each with the live theme it
 * leads to now (following later merges): the items still to follow.
 */
export function unfinishedMerges(db: Db): { from: number; into: number }[] {
  const rows = stmt(
    db,
    `SELECT id, merged_into FROM themes INDEXED BY themes_following
       WHERE merged_into IS NOT NULL AND item_count > 0`,
  ).all() as { id: number; merged_into: number }[];
  return rows.map((r) => ({ from: r.id, into: resolveTheme(db, r.merged_into)?.id ?? r.merged_into }));
}

/** The themes the last finished regroup pass found incoherent, which the next pass dissolves. */
export function loadDissolving(db: Db): Set<number> {
  const json = stmt(db, 'SELECT dissolving FROM theme_progress WHERE id = 1').pluck().get() as string;
  return new Set(JSON.parse(json) as number[]);
}

export function storeDissolving(db: Db, themeIds: ReadonlySet<number>): void {
  stmt(db, 'UPDATE theme_progress SET dissolving = ? WHERE id = 1').run(JSON.stringify([...themeIds]));
}

/** Where the regroup pass under way is in its item phases, if it got that far. */
export function loadRegroupPosition(db: Db): RegroupPosition | undefined {
  const row = stmt(db, 'SELECT regroup_step, regroup_after FROM theme_progress WHERE id = 1').get() as {
    regroup_step: RegroupPosition['phase'] | null;
    regroup_after: number;
  };
  if (row.regroup_step === 'reassign') return { phase: 'reassign', after: row.regroup_after };
  return row.regroup_step === 'names' ? { phase: 'names' } : undefined;
}

export function storeRegroupPosition(db: Db, position: RegroupPosition | undefined): void {
  stmt(db, 'UPDATE theme_progress SET regroup_step = ?, regroup_after = ? WHERE id = 1').run(
    position?.phase ?? null,
    position?.phase === 'reassign' ? position.after : 0,
  );
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
    // A merge is recorded at once; the merged theme keeps its items and their term counts until they follow, a
    // slice at a time, each slice moving its items' counts with them: between slices every theme's counts are its
    // items', so a stop at any slice leaves the database consistent, and a new process finishes the move
    // (unfinishedMerges). What moves per term is at most what the merged theme holds (terms it pruned stay out,
    // as the model's merge leaves them out).
    merged(from, into) {
      setThemeMergedInto(db, from, into, now());
    },
    follow(from, into, limit) {
      const rows = stmt(db, 'SELECT id, theme_terms FROM feedback_items WHERE theme_id = ? LIMIT ?').all(
        from,
        limit,
      ) as { id: number; theme_terms: string | null }[];
      const terms = new Map<string, number>();
      for (const row of rows)
        for (const term of JSON.parse(row.theme_terms ?? '[]') as string[])
          terms.set(term, (terms.get(term) ?? 0) + 1);
      moveTermCounts(db, from, into, terms);
      for (const row of rows) setItemTheme(db, row.id, into, now());
      return rows.length;
    },
    move(item: ThemedItem, to) {
      countInTheme(db, item.themeId, item.terms, -1);
      const created = !stmt(db, 'SELECT 1 FROM themes WHERE id = ?').get(to);
      placeItem(db, item, { id: to, created, topTerms: () => model.name(to) }, now());
      // Its last item left: its reference leads on at once (the pass's end may point it to where most went).
      const left = stmt(db, 'SELECT item_count FROM themes WHERE id = ?').pluck().get(item.themeId);
      if (left === 0) setThemeMergedInto(db, item.themeId, to, now());
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

/** Up to `terms` (per term, how many items hold it) of `from`'s term counts move to `into`. */
function moveTermCounts(db: Db, from: number, into: number, terms: ReadonlyMap<string, number>): void {
  if (terms.size === 0) return;
  const held = stmt(
    db,
    'SELECT term, items FROM theme_term_counts WHERE theme_id = ? AND term IN (SELECT key FROM json_each(?))',
  ).all(from, JSON.stringify(Object.fromEntries(terms))) as { term: string; items: number }[];
  const moving = JSON.stringify(
    Object.fromEntries(held.map((r) => [r.term, Math.min(r.items, terms.get(r.term) ?? 0)])),
  );
  stmt(
    db,
    `UPDATE theme_term_counts SET items = items - j.value FROM json_each(?) j
       WHERE theme_term_counts.theme_id = ? AND theme_term_counts.term = j.key`,
  ).run(moving, from);
  stmt(db, 'DELETE FROM theme_term_counts WHERE theme_id = ? AND items <= 0').run(from);
  stmt(
    db,
    `INSERT INTO theme_term_counts (theme_id, term, items) SELECT ?, key, value FROM json_each(?) WHERE true
     ON CONFLICT (theme_id, term) DO UPDATE SET items = items + excluded.items`,
  ).run(into, moving);
}
