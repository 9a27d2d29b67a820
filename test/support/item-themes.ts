import type { Db } from '../../src/store/db.js';

export type ItemTheme = { id: number; label: string };

/**
 * The theme the write side gave an item, as the database holds it: its id and how surfaces call it (a lead's
 * name, else its first three top terms). E2e tests read it rather than placing items in fixture themes, so they
 * follow the real model's grouping and naming.
 */
export function themeOfItem(db: Db, itemId: number): ItemTheme {
  const row = db
    .prepare(
      `SELECT t.id, t.name, t.top_terms FROM feedback_items i JOIN themes t ON t.id = i.theme_id
       WHERE i.id = ?`,
    )
    .get(itemId) as { id: number; name: string | null; top_terms: string } | undefined;
  if (!row) throw new Error(`FB-${itemId} has no theme`);
  const terms = JSON.parse(row.top_terms) as string[];
  return { id: row.id, label: row.name ?? terms.slice(0, 3).join(', ') };
}

/** The one theme all these items share; throws when the model split them. */
export function sharedTheme(db: Db, itemIds: readonly number[]): ItemTheme {
  const themes = itemIds.map((id) => themeOfItem(db, id));
  const ids = new Set(themes.map((t) => t.id));
  if (ids.size !== 1 || !themes[0]) throw new Error(`items ${itemIds.join(', ')} are in themes ${[...ids]}`);
  return themes[0];
}
