/**
 * Right the first time (issue 17): the indexes behind the reopen rate, the reassign rate, handoffs per item and
 * the contact mix (src/metrics/numbers.ts), the kudos rows a department's leaderboard counts, and the Home's
 * department filter.
 *
 * - Reassignments are a small part of the history: two partial indexes over them answer "which items did a team
 *   pass on in a week" (by the department the item left) and "how many times had this item been passed on"
 *   (by item, when a resolution is written), without reading the rest of the history. Each resolution keeps
 *   that count (`handoffs`), so handoffs per item reads the resolutions' own index. Reopens are read from the
 *   numbers index of 0010.
 * - The items' mix index gains how the customer reached us, so the contact mix of a week is read from the
 *   index alone, like the mix by kind and severity.
 * - `kudos_department_received` holds one row per standing ledger row and department the recipient belonged to
 *   when thanked, in time order per department, so a department's leaderboard for a week, month or quarter is a
 *   range of its own rows, never a pass over every kudos of the period. Triggers on `kudos_ledger` keep it in the
 *   same statement (so the same transaction) as the ledger write: a withdrawn kudos leaves it, a restored one
 *   comes back, a deleted one leaves.
 * - `kudos_home_prefs.leaderboard_department` is the department a person filters their leaderboard by (NULL:
 *   everyone).
 */
export const sql = `
CREATE INDEX feedback_events_passed_on ON feedback_events (department_id, at, item_id) WHERE action = 'reassign';
CREATE INDEX feedback_events_handoffs ON feedback_events (item_id, at) WHERE action = 'reassign';

-- Each resolution keeps how many times the item had been reassigned by then (counted once, when it is written;
-- history rows are written in order), so handoffs per item is a read of the resolutions' own index.
ALTER TABLE feedback_events ADD COLUMN handoffs INTEGER;
UPDATE feedback_events SET handoffs =
  (SELECT COUNT(*) FROM feedback_events r WHERE r.action = 'reassign' AND r.item_id = feedback_events.item_id
     AND r.id < feedback_events.id)
  WHERE to_status = 'resolved';
CREATE INDEX feedback_events_resolutions ON feedback_events (department_id, at, handoffs)
  WHERE to_status = 'resolved';

DROP INDEX feedback_items_department_created_mix;
CREATE INDEX feedback_items_department_created_mix
  ON feedback_items (department_id, created_at, kind, severity, contact_channel);

CREATE TABLE kudos_department_received (
  department_id  TEXT    NOT NULL,
  created_at     INTEGER NOT NULL,
  ledger_id      INTEGER NOT NULL,
  recipient_id   TEXT    NOT NULL,
  PRIMARY KEY (department_id, created_at, ledger_id)
) WITHOUT ROWID;

INSERT INTO kudos_department_received (department_id, created_at, ledger_id, recipient_id)
  SELECT DISTINCT d.value, l.created_at, l.id, l.recipient_id FROM kudos_ledger l, json_each(l.recipient_departments) d
  WHERE l.revoked_at IS NULL;

CREATE TRIGGER kudos_department_in AFTER INSERT ON kudos_ledger WHEN NEW.revoked_at IS NULL BEGIN
  INSERT OR IGNORE INTO kudos_department_received (department_id, created_at, ledger_id, recipient_id)
    SELECT DISTINCT value, NEW.created_at, NEW.id, NEW.recipient_id FROM json_each(NEW.recipient_departments);
END;

CREATE TRIGGER kudos_department_restored AFTER UPDATE OF revoked_at ON kudos_ledger
  WHEN OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS NULL BEGIN
  INSERT OR IGNORE INTO kudos_department_received (department_id, created_at, ledger_id, recipient_id)
    SELECT DISTINCT value, NEW.created_at, NEW.id, NEW.recipient_id FROM json_each(NEW.recipient_departments);
END;

CREATE TRIGGER kudos_department_revoked AFTER UPDATE OF revoked_at ON kudos_ledger
  WHEN OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL BEGIN
  DELETE FROM kudos_department_received
  WHERE department_id IN (SELECT value FROM json_each(OLD.recipient_departments))
    AND created_at = OLD.created_at AND ledger_id = OLD.id;
END;

CREATE TRIGGER kudos_department_deleted AFTER DELETE ON kudos_ledger WHEN OLD.revoked_at IS NULL BEGIN
  DELETE FROM kudos_department_received
  WHERE department_id IN (SELECT value FROM json_each(OLD.recipient_departments))
    AND created_at = OLD.created_at AND ledger_id = OLD.id;
END;

ALTER TABLE kudos_home_prefs ADD COLUMN leaderboard_department TEXT;
`;
