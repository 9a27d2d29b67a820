/**
 * A themes regroup stopped between slices (issue 17) resumes from what the database holds:
 * - `theme_progress.dissolving`: the themes the last finished regroup pass found incoherent (a JSON array of ids),
 *   which the next pass dissolves; kept here rather than in memory so a restart mid-pass dissolves them still.
 * - `theme_progress.regroup_step` and `regroup_after`: where the pass under way is in its item phases ('reassign'
 *   after item `regroup_after`, or 'names'; NULL before them), written by each slice, so a pass stopped there goes
 *   on from that point rather than reading every item again.
 * - `themes_following`: the merged themes whose items have not all followed yet (a merge's items move a slice at a
 *   time, their term counts with them), so a new process finishes moving them.
 * Term counts are counted again from the items: a merge interrupted before this version left the merged theme's
 * counts in the theme it went into while its items had not followed, and moving them later counted them twice.
 */
export const sql = `
ALTER TABLE theme_progress ADD COLUMN dissolving TEXT NOT NULL DEFAULT '[]';
ALTER TABLE theme_progress ADD COLUMN regroup_step TEXT CHECK (regroup_step IN ('reassign', 'names'));
ALTER TABLE theme_progress ADD COLUMN regroup_after INTEGER NOT NULL DEFAULT 0;
CREATE INDEX themes_following ON themes (item_count) WHERE merged_into IS NOT NULL AND item_count > 0;

DELETE FROM theme_term_counts;
INSERT INTO theme_term_counts (theme_id, term, items)
  SELECT f.theme_id, j.value, count(*) FROM feedback_items f, json_each(f.theme_terms) j
  WHERE f.theme_id IS NOT NULL AND f.theme_terms IS NOT NULL
  GROUP BY 1, 2;
`;
