/**
 * Themes (issue 17): groups of feedback items with similar words, whatever their route. A theme is referred to as
 * `TH-<id>`; `name` is a lead's name for it (`/loop theme`), NULL to show its top terms; `top_terms` is a JSON
 * array of words refreshed as the theme changes. `merged_into` keeps a merged theme's reference working.
 * `feedback_items.theme_id` is written only through `src/themes/theme-repo.ts` (`setItemTheme`), the one place
 * where an item enters or leaves a theme, so anything kept per theme can be updated there.
 */
export const sql = `
CREATE TABLE themes (
  id           INTEGER PRIMARY KEY,
  name         TEXT,
  renamed_by   TEXT,
  renamed_at   INTEGER,
  top_terms    TEXT    NOT NULL DEFAULT '[]',
  item_count   INTEGER NOT NULL DEFAULT 0,
  merged_into  INTEGER REFERENCES themes (id),
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);

ALTER TABLE feedback_items ADD COLUMN theme_id INTEGER REFERENCES themes (id);
CREATE INDEX feedback_items_theme_created ON feedback_items (theme_id, created_at) WHERE theme_id IS NOT NULL;
`;
