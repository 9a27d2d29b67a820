/**
 * The delivery engine: an ordering key per conversation, the attempt recorded before each Slack call (so a
 * restart knows which outcomes are unknown), the start of each message's retry window, and the problems that
 * stop deliveries (reported to the admins once per cause).
 */
export const sql = `
-- The conversation a message goes to (a channel id, or the user id of a DM): one at a time, in queue order.
ALTER TABLE outbox ADD COLUMN ordering_key TEXT;
-- Set before a Slack call starts, cleared when its outcome is known: set at start-up means "look in Slack first".
ALTER TABLE outbox ADD COLUMN attempt_started_at INTEGER;
-- When retrying began (the message was queued, or an admin ran /loop retry): parked after the retry window.
ALTER TABLE outbox ADD COLUMN retry_since INTEGER;
UPDATE outbox SET retry_since = created_at;
CREATE INDEX outbox_pending_order ON outbox (ordering_key, id) WHERE status = 'pending';

CREATE TABLE delivery_problems (
  cause        TEXT    PRIMARY KEY,  -- e.g. not_in_channel:C0123, token:invalid_auth, parked:http_500
  code         TEXT    NOT NULL,
  channel      TEXT,
  first_at     INTEGER NOT NULL,
  last_at      INTEGER NOT NULL,
  count        INTEGER NOT NULL DEFAULT 1,
  reported_at  INTEGER,
  resolved_at  INTEGER
);
`;
