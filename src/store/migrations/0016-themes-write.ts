/**
 * What theme assignment needs, kept up to date in the transaction that changes it (issue 17), so the app holds
 * per-theme statistics in memory rather than every item's words and loads them at start without reading history:
 * - `feedback_items.theme_terms`: the item's theme terms (stems, a JSON array) as they were when it was filed;
 *   NULL until the background backfill reads an item filed before this version; '[]' when it has none or they
 *   were removed with the customer details (the item keeps its theme; its words leave the counts below).
 * - `theme_term_counts`: for each theme and term, how many of its items hold the term.
 * - `theme_vocabulary`: for each term, how many items hold it (IDF) and the shortest word it was seen as.
 * - `theme_progress`: how many items were counted in the vocabulary, whether the backfill is done, and the last
 *   removal of customer details (`customer_erasures`) the themes have followed (the `forget` tool runs apart).
 * `feedback_items_regroup` lists the items a regroup reads (a theme and terms), in id order.
 */
export const sql = `
ALTER TABLE feedback_items ADD COLUMN theme_terms TEXT;
CREATE INDEX feedback_items_regroup ON feedback_items (id)
  WHERE theme_id IS NOT NULL AND theme_terms <> '[]';

CREATE TABLE theme_term_counts (
  theme_id  INTEGER NOT NULL REFERENCES themes (id),
  term      TEXT    NOT NULL,
  items     INTEGER NOT NULL,
  PRIMARY KEY (theme_id, term)
) WITHOUT ROWID;

CREATE TABLE theme_vocabulary (
  term     TEXT    PRIMARY KEY,
  items    INTEGER NOT NULL,
  surface  TEXT    NOT NULL
) WITHOUT ROWID;

CREATE TABLE theme_progress (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  documents      INTEGER NOT NULL DEFAULT 0,
  backfill_after INTEGER NOT NULL DEFAULT 0,
  backfill_done  INTEGER NOT NULL DEFAULT 0,
  erasure_seen   INTEGER NOT NULL DEFAULT 0
);
INSERT INTO theme_progress (id) VALUES (1);
`;
