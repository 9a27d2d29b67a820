/**
 * The theme read side (issue 17): running totals per theme, department and UTC day, so the top themes of any
 * period are read from a few thousand rows instead of the items; the team focus and its history; the spikes
 * already posted.
 *
 * `theme_day_totals` holds, per (department, UTC day of filing, theme): the items, the impact that no longer
 * changes (resolved items, see src/themes/impact.ts) and, for open items, the sum of their time-free weight and of
 * weight × filing day, from which their impact at any moment is computed exactly (src/themes/theme-totals.ts).
 * `department_id` is '' for items in triage. `theme_week_totals` sums the day rows per epoch week.
 *
 * Triggers keep it honest whatever writes the items: any change to what impact reads (theme, department, status,
 * resolution time, severity, the at-risk mark, the customer) or a new SLA breach marks the item's bucket, before
 * and after (a customer lost or no longer lost marks the buckets of all that customer's items), in `theme_totals_dirty`, in the same transaction as the change. A marked bucket is counted again from
 * its items (a handful) before any read of its days, and by the minute tick in small slices. Every bucket of the
 * items already themed is marked here.
 */
export const sql = `
CREATE TABLE theme_day_totals (
  department_id     TEXT    NOT NULL,
  day               INTEGER NOT NULL,
  theme_id          INTEGER NOT NULL REFERENCES themes (id),
  items             INTEGER NOT NULL,
  fixed_impact      REAL    NOT NULL,
  open_weight       REAL    NOT NULL,
  open_weight_days  REAL    NOT NULL,
  PRIMARY KEY (department_id, day, theme_id)
) WITHOUT ROWID;
CREATE INDEX theme_day_totals_day ON theme_day_totals
  (day, theme_id, department_id, items, fixed_impact, open_weight, open_weight_days);
CREATE INDEX theme_day_totals_theme ON theme_day_totals (theme_id, day, department_id, items);

-- The same sums per epoch week (day / 7, whole UTC weeks from a Thursday): a quarter reads 13 rows per theme and
-- department here plus the few days at its ends from theme_day_totals. Kept from the day rows' changes.
CREATE TABLE theme_week_totals (
  department_id     TEXT    NOT NULL,
  week              INTEGER NOT NULL,
  theme_id          INTEGER NOT NULL REFERENCES themes (id),
  items             INTEGER NOT NULL,
  fixed_impact      REAL    NOT NULL,
  open_weight       REAL    NOT NULL,
  open_weight_days  REAL    NOT NULL,
  PRIMARY KEY (department_id, week, theme_id)
) WITHOUT ROWID;
CREATE INDEX theme_week_totals_week ON theme_week_totals
  (week, theme_id, department_id, items, fixed_impact, open_weight, open_weight_days);

CREATE TABLE theme_totals_dirty (
  day            INTEGER NOT NULL,
  department_id  TEXT    NOT NULL,
  theme_id       INTEGER NOT NULL,
  PRIMARY KEY (day, department_id, theme_id)
) WITHOUT ROWID;

CREATE TRIGGER theme_totals_item_insert AFTER INSERT ON feedback_items WHEN NEW.theme_id IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO theme_totals_dirty (day, department_id, theme_id)
    VALUES (NEW.created_at / 86400000, COALESCE(NEW.department_id, ''), NEW.theme_id);
END;

CREATE TRIGGER theme_totals_item_update
  AFTER UPDATE OF theme_id, department_id, status, resolved_at, severity, customer_at_risk, customer_id, created_at
  ON feedback_items
  WHEN OLD.theme_id IS NOT NULL OR NEW.theme_id IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO theme_totals_dirty (day, department_id, theme_id)
    SELECT OLD.created_at / 86400000, COALESCE(OLD.department_id, ''), OLD.theme_id WHERE OLD.theme_id IS NOT NULL;
  INSERT OR IGNORE INTO theme_totals_dirty (day, department_id, theme_id)
    SELECT NEW.created_at / 86400000, COALESCE(NEW.department_id, ''), NEW.theme_id WHERE NEW.theme_id IS NOT NULL;
END;

-- A customer lost (a follow-up answered Left, src/outcomes/) adds to the impact of every item of theirs.
CREATE TRIGGER theme_totals_lost_insert AFTER INSERT ON customer_follow_ups WHEN NEW.outcome = 'lost'
BEGIN
  INSERT OR IGNORE INTO theme_totals_dirty (day, department_id, theme_id)
    SELECT created_at / 86400000, COALESCE(department_id, ''), theme_id FROM feedback_items
    WHERE customer_id = NEW.customer_id AND theme_id IS NOT NULL;
END;

CREATE TRIGGER theme_totals_lost_update AFTER UPDATE OF outcome, customer_id ON customer_follow_ups
  WHEN OLD.outcome = 'lost' OR NEW.outcome = 'lost'
BEGIN
  INSERT OR IGNORE INTO theme_totals_dirty (day, department_id, theme_id)
    SELECT created_at / 86400000, COALESCE(department_id, ''), theme_id FROM feedback_items
    WHERE customer_id IN (OLD.customer_id, NEW.customer_id) AND theme_id IS NOT NULL;
END;

CREATE TRIGGER theme_totals_lost_delete AFTER DELETE ON customer_follow_ups WHEN OLD.outcome = 'lost'
BEGIN
  INSERT OR IGNORE INTO theme_totals_dirty (day, department_id, theme_id)
    SELECT created_at / 86400000, COALESCE(department_id, ''), theme_id FROM feedback_items
    WHERE customer_id = OLD.customer_id AND theme_id IS NOT NULL;
END;

CREATE TRIGGER theme_totals_breach AFTER INSERT ON feedback_escalations WHEN NEW.level = 'leads'
BEGIN
  INSERT OR IGNORE INTO theme_totals_dirty (day, department_id, theme_id)
    SELECT created_at / 86400000, COALESCE(department_id, ''), theme_id FROM feedback_items
    WHERE id = NEW.item_id AND theme_id IS NOT NULL;
END;

INSERT OR IGNORE INTO theme_totals_dirty (day, department_id, theme_id)
  SELECT DISTINCT created_at / 86400000, COALESCE(department_id, ''), theme_id FROM feedback_items
  WHERE theme_id IS NOT NULL;

-- The company-wide read of a period's edges (the part of a UTC day inside it) reads themed items by time.
CREATE INDEX feedback_items_themed_created ON feedback_items (created_at, theme_id) WHERE theme_id IS NOT NULL;
-- The one day whose open items straddle the age where impact stops growing is read for its open items only.
CREATE INDEX feedback_items_themed_open ON feedback_items (created_at, theme_id)
  WHERE theme_id IS NOT NULL AND status <> 'resolved';

-- A team's focus theme (/loop focus): one row per focus, the open one has ended_at NULL; the history stays.
CREATE TABLE theme_focus (
  id             INTEGER PRIMARY KEY,
  department_id  TEXT    NOT NULL,
  theme_id       INTEGER NOT NULL REFERENCES themes (id),
  weekly_target  INTEGER NOT NULL,
  started_by     TEXT    NOT NULL,
  started_at     INTEGER NOT NULL,
  ended_by       TEXT,
  ended_at       INTEGER
);
CREATE UNIQUE INDEX theme_focus_current ON theme_focus (department_id) WHERE ended_at IS NULL;
CREATE INDEX theme_focus_history ON theme_focus (department_id, started_at);
`;
