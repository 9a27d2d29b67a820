import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';

/**
 * Where themes are stored (migration 0015). `setItemTheme` is the one place where an item enters or leaves a
 * theme: intake, the background regroup and merges all go through it, so whatever is kept per theme (its item
 * count, and any running totals added later) changes in the same transaction as the item.
 */

export type StoredTheme = {
  id: number;
  name: string | null;
  topTerms: string[];
  itemCount: number;
  mergedInto: number | null;
};

type ThemeRow = {
  id: number;
  name: string | null;
  top_terms: string;
  item_count: number;
  merged_into: number | null;
};

export function createTheme(db: Db, topTerms: readonly string[], now: number, id?: number): number {
  const result = stmt(
    db,
    'INSERT INTO themes (id, top_terms, created_at, updated_at) VALUES (?, ?, ?, ?)',
  ).run(id ?? null, JSON.stringify(topTerms), now, now);
  return Number(result.lastInsertRowid);
}

/** Put an item in a theme (or out of every theme with `null`). Call inside the caller's transaction. */
export function setItemTheme(db: Db, itemId: number, themeId: number | null, now: number): void {
  const previous = stmt(db, 'SELECT theme_id FROM feedback_items WHERE id = ?').pluck().get(itemId) as
    | number
    | null
    | undefined;
  if (previous === undefined || previous === themeId) return;
  stmt(db, 'UPDATE feedback_items SET theme_id = ? WHERE id = ?').run(themeId, itemId);
  if (previous !== null) {
    stmt(db, 'UPDATE themes SET item_count = item_count - 1, updated_at = ? WHERE id = ?').run(now, previous);
  }
  if (themeId !== null) {
    stmt(db, 'UPDATE themes SET item_count = item_count + 1, updated_at = ? WHERE id = ?').run(now, themeId);
  }
}

export function getTheme(db: Db, id: number): StoredTheme | undefined {
  const row = stmt(db, 'SELECT id, name, top_terms, item_count, merged_into FROM themes WHERE id = ?').get(
    id,
  ) as ThemeRow | undefined;
  return row ? toTheme(row) : undefined;
}

function toTheme(row: ThemeRow): StoredTheme {
  return {
    id: row.id,
    name: row.name,
    topTerms: JSON.parse(row.top_terms) as string[],
    itemCount: row.item_count,
    mergedInto: row.merged_into,
  };
}

/** A lead's name for a theme (NULL shows its top terms again). */
export function renameTheme(db: Db, id: number, name: string | null, by: string, now: number): void {
  stmt(db, 'UPDATE themes SET name = ?, renamed_by = ?, renamed_at = ?, updated_at = ? WHERE id = ?').run(
    name,
    by,
    now,
    now,
    id,
  );
}

/** The theme a reference leads to: itself, or the theme it was merged into (following later merges). */
export function resolveTheme(db: Db, id: number): StoredTheme | undefined {
  let theme = getTheme(db, id);
  for (let hops = 0; theme?.mergedInto != null && hops < 100; hops++) {
    theme = getTheme(db, theme.mergedInto);
  }
  return theme;
}

/** A theme's top terms, refreshed by the regroup; only written when they changed. */
export function setThemeTopTerms(db: Db, id: number, topTerms: readonly string[], now: number): void {
  stmt(db, 'UPDATE themes SET top_terms = ?, updated_at = ? WHERE id = ? AND top_terms <> ?').run(
    JSON.stringify(topTerms),
    now,
    id,
    JSON.stringify(topTerms),
  );
}

/** A theme that no longer holds items (merged, or emptied by a regroup): its references lead to `into`. */
export function setThemeMergedInto(db: Db, id: number, into: number, now: number): void {
  stmt(db, 'UPDATE themes SET merged_into = ?, updated_at = ? WHERE id = ?').run(into, now, id);
}
