/**
 * Reaction kudos in Slack's order, not arrival order: the latest reaction event seen for each reactor, message
 * and emoji, so an add that arrives after (or is still being handled when) a later removal gives nothing, and a
 * removal older than a later add takes nothing back. Rows are forgotten after the undo window.
 *
 * The people thanked are told when a kudos they were told about is withdrawn: `notified_at` records that the
 * recipient's DM went out.
 *
 * Routing reasons of reassignments stop carrying a mention: who reassigned is `decided_by`, and the mention is
 * rendered when the message is (escaped text would show a literal `<@U…>`).
 */
export const sql = `
CREATE TABLE reaction_events (
  channel_id   TEXT    NOT NULL,
  message_ts   TEXT    NOT NULL,
  user_id      TEXT    NOT NULL,
  emoji        TEXT    NOT NULL,
  -- Slack's event_ts, zero-padded so that text order is time order.
  event_ts     TEXT    NOT NULL,
  kind         TEXT    NOT NULL CHECK (kind IN ('added', 'removed')),
  received_at  INTEGER NOT NULL,
  PRIMARY KEY (channel_id, message_ts, user_id, emoji)
) WITHOUT ROWID;
CREATE INDEX reaction_events_received ON reaction_events (received_at);

ALTER TABLE kudos_ledger ADD COLUMN notified_at INTEGER;

UPDATE feedback_routing SET reason = 'reassigned'
  WHERE method = 'explicit' AND decided_by IS NOT NULL AND reason LIKE 'reassigned by <@%>';
`;
