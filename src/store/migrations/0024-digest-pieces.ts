/**
 * What lets the `/loop digest` preview (and every surface that counts open items) answer from a few
 * rows at a million items:
 *
 * - Changes that move an item after the fact (a reassignment, a reopening), by time, with when the item was
 *   filed: a cache of a closed period's numbers asks "was an item filed then moved since I counted?" with a few
 *   steps of this index, since the numbers read from the items count them where they are now.
 * - Running totals of the items open now per department (numbers.ts openNow), kept by triggers in the same
 *   statement, hence the same transaction, as the item's write: counting them was a scan of every open item
 *   (100k at a year of data) on each preview, reminder and `/strategy`.
 * - A counter per UTC day of filing that moves whenever a themed item of that day is filed, deleted, or changes
 *   theme, department or filing time: the themed items of the days the theme trends read in part are kept
 *   (src/themes/themed-days.ts) and read again only once the day's counter moved (one primary-key probe instead of
 *   a day of items), and the preview keeps its trend's closed weeks while their days' counters stay put.
 */
export const sql = `
CREATE INDEX feedback_events_item_moves ON feedback_events (at, item_created_at, action)
  WHERE action IN ('reassign', 'reopen');

CREATE TABLE department_open_counts (
  department_id TEXT    PRIMARY KEY,
  open_items    INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO department_open_counts (department_id, open_items)
  SELECT department_id, COUNT(*) FROM feedback_items
  WHERE status <> 'resolved' AND department_id IS NOT NULL GROUP BY department_id;

CREATE TRIGGER open_counts_filed AFTER INSERT ON feedback_items
  WHEN NEW.status <> 'resolved' AND NEW.department_id IS NOT NULL BEGIN
  INSERT INTO department_open_counts (department_id, open_items) VALUES (NEW.department_id, 1)
    ON CONFLICT (department_id) DO UPDATE SET open_items = open_items + 1;
END;

CREATE TRIGGER open_counts_changed AFTER UPDATE OF status, department_id ON feedback_items
  WHEN (OLD.status <> 'resolved' AND OLD.department_id IS NOT NULL)
    OR (NEW.status <> 'resolved' AND NEW.department_id IS NOT NULL) BEGIN
  UPDATE department_open_counts SET open_items = open_items - 1
    WHERE department_id = OLD.department_id AND OLD.status <> 'resolved';
  INSERT INTO department_open_counts (department_id, open_items)
    SELECT NEW.department_id, 1 WHERE NEW.status <> 'resolved' AND NEW.department_id IS NOT NULL
    ON CONFLICT (department_id) DO UPDATE SET open_items = open_items + 1;
END;

CREATE TRIGGER open_counts_deleted AFTER DELETE ON feedback_items
  WHEN OLD.status <> 'resolved' AND OLD.department_id IS NOT NULL BEGIN
  UPDATE department_open_counts SET open_items = open_items - 1 WHERE department_id = OLD.department_id;
END;

-- Removals of customer details that did something, by time: a kept piece of the preview asks whether one came
-- since it was counted (the contact mix goes with the details).
CREATE INDEX customer_erasures_at ON customer_erasures (at) WHERE items > 0;

CREATE TABLE theme_day_changes (
  day      INTEGER PRIMARY KEY,
  changes  INTEGER NOT NULL
);

CREATE TRIGGER theme_day_changes_filed AFTER INSERT ON feedback_items WHEN NEW.theme_id IS NOT NULL BEGIN
  INSERT INTO theme_day_changes (day, changes) VALUES (NEW.created_at / 86400000, 1)
    ON CONFLICT (day) DO UPDATE SET changes = changes + 1;
END;

CREATE TRIGGER theme_day_changes_changed AFTER UPDATE OF theme_id, department_id, created_at ON feedback_items
  WHEN OLD.theme_id IS NOT NULL OR NEW.theme_id IS NOT NULL BEGIN
  INSERT INTO theme_day_changes (day, changes) VALUES (OLD.created_at / 86400000, 1)
    ON CONFLICT (day) DO UPDATE SET changes = changes + 1;
  INSERT INTO theme_day_changes (day, changes) VALUES (NEW.created_at / 86400000, 1)
    ON CONFLICT (day) DO UPDATE SET changes = changes + 1;
END;

CREATE TRIGGER theme_day_changes_deleted AFTER DELETE ON feedback_items WHEN OLD.theme_id IS NOT NULL BEGIN
  INSERT INTO theme_day_changes (day, changes) VALUES (OLD.created_at / 86400000, 1)
    ON CONFLICT (day) DO UPDATE SET changes = changes + 1;
END;
`;
