import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';

/**
 * Customer details removed (retention, or one customer's request): the words of the items matching `where` leave
 * the theme statistics in the caller's transaction, so no stem or word of theirs stays in `theme_term_counts` or
 * `theme_vocabulary` once no kept item holds it. The items keep their themes (and count in them); the live model
 * is read again afterwards (`ThemeIndex.afterErasure`), which also names the themes again.
 */
export function forgetThemeWords(db: Db, where: string, params: unknown[], index?: string): void {
  // `index`: the one the caller's `where` reads (retention's cut-off: the items that keep details); else SQLite
  // skip-scanned an index over every item filed before the cut-off, ~0.5 s each minute at 1M items. `+theme_id`
  // keeps the filter pushed into the items' query off the themes' index.
  const items = `SELECT f.theme_id, j.value AS term FROM feedback_items f ${index ? `INDEXED BY ${index}` : ''},
       json_each(f.theme_terms) j
     WHERE f.theme_terms IS NOT NULL AND ${where}`;
  stmt(
    db,
    `UPDATE theme_term_counts SET items = items - gone.n
       FROM (SELECT theme_id, term, count(*) AS n FROM (${items}) WHERE +theme_id IS NOT NULL GROUP BY 1, 2) AS gone
       WHERE theme_term_counts.theme_id = gone.theme_id AND theme_term_counts.term = gone.term`,
  ).run(...params);
  stmt(
    db,
    `UPDATE theme_vocabulary SET items = items - gone.n
       FROM (SELECT term, count(*) AS n FROM (${items}) GROUP BY 1) AS gone
       WHERE theme_vocabulary.term = gone.term`,
  ).run(...params);
  stmt(db, 'DELETE FROM theme_term_counts WHERE items <= 0').run();
  stmt(db, 'DELETE FROM theme_vocabulary WHERE items <= 0').run();
}
