/**
 * Running totals of kudos received, so the all-time leaderboard reads a few rows instead of counting the whole
 * ledger on every App Home publish (60 ms at 1M kudos, growing with history).
 *
 * One row per recipient for everyone (`scope` '*') and one per department the recipient belonged to when thanked
 * (`scope` = the department id), so the board can be read for one department too. Triggers on `kudos_ledger`
 * keep the totals in the same statement, hence the same transaction, as the ledger write: a kudos given adds one,
 * a kudos withdrawn (revoked_at set) takes one away, and a deleted or restored row is counted back the same way.
 */
export const sql = `
CREATE TABLE kudos_received_totals (
  scope        TEXT    NOT NULL,
  recipient_id TEXT    NOT NULL,
  received     INTEGER NOT NULL,
  PRIMARY KEY (scope, recipient_id)
) WITHOUT ROWID;
CREATE INDEX kudos_received_totals_rank ON kudos_received_totals (scope, received DESC, recipient_id);

INSERT INTO kudos_received_totals (scope, recipient_id, received)
  SELECT '*', recipient_id, COUNT(*) FROM kudos_ledger WHERE revoked_at IS NULL GROUP BY recipient_id;
INSERT INTO kudos_received_totals (scope, recipient_id, received)
  SELECT d.value, l.recipient_id, COUNT(*) FROM kudos_ledger l, json_each(l.recipient_departments) d
  WHERE l.revoked_at IS NULL GROUP BY d.value, l.recipient_id;

CREATE TRIGGER kudos_totals_count_in AFTER INSERT ON kudos_ledger WHEN NEW.revoked_at IS NULL BEGIN
  INSERT INTO kudos_received_totals (scope, recipient_id, received)
    SELECT '*', NEW.recipient_id, 1
    UNION ALL SELECT DISTINCT value, NEW.recipient_id, 1 FROM json_each(NEW.recipient_departments) WHERE true
    ON CONFLICT (scope, recipient_id) DO UPDATE SET received = received + 1;
END;

CREATE TRIGGER kudos_totals_restored AFTER UPDATE OF revoked_at ON kudos_ledger
  WHEN OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS NULL BEGIN
  INSERT INTO kudos_received_totals (scope, recipient_id, received)
    SELECT '*', NEW.recipient_id, 1
    UNION ALL SELECT DISTINCT value, NEW.recipient_id, 1 FROM json_each(NEW.recipient_departments) WHERE true
    ON CONFLICT (scope, recipient_id) DO UPDATE SET received = received + 1;
END;

CREATE TRIGGER kudos_totals_revoked AFTER UPDATE OF revoked_at ON kudos_ledger
  WHEN OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL BEGIN
  UPDATE kudos_received_totals SET received = received - 1
  WHERE recipient_id = NEW.recipient_id
    AND (scope = '*' OR scope IN (SELECT value FROM json_each(NEW.recipient_departments)));
END;

CREATE TRIGGER kudos_totals_deleted AFTER DELETE ON kudos_ledger WHEN OLD.revoked_at IS NULL BEGIN
  UPDATE kudos_received_totals SET received = received - 1
  WHERE recipient_id = OLD.recipient_id
    AND (scope = '*' OR scope IN (SELECT value FROM json_each(OLD.recipient_departments)));
END;
`;
