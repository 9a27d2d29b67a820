/**
 * The two loops joined (issue 18).
 *
 * A "+1": the configured reaction on the app's own kudos post gives the same people a kudos with the same reason.
 * `kudos.plus_one_of` is the kudos it joins in on, and `kudos_post` finds a kudos from its post (the reaction
 * names only the channel and the message).
 *
 * Customer praise: a praise item that names colleagues (the form's "who helped" field, or mentions in its text).
 * `feedback_praised` keeps who the reporter named, committed with the item. `customer_praise` is the ledger of
 * customer praise, one row per colleague thanked, with the reporter as the one who passed it on. It is a ledger
 * of its own, beside `kudos_ledger`: customer praise is outside every allowance, leaderboard, running total
 * (0013) and cross-team number, and a table of its own keeps it out of every query over `kudos_ledger`, those
 * of today and those written later. `customer_praise_cards` records, once per item, that the named people were
 * looked up (bots and the deactivated left out) and where the "A customer said…" card was posted: the kudos
 * reaction on that card is a "+1" too, thanking the colleagues it names.
 */
export const sql = `
ALTER TABLE kudos ADD COLUMN plus_one_of INTEGER REFERENCES kudos (id);
CREATE INDEX kudos_post ON kudos (post_ts, post_channel_id) WHERE post_ts IS NOT NULL;

CREATE TABLE feedback_praised (
  item_id  INTEGER NOT NULL REFERENCES feedback_items (id),
  user_id  TEXT    NOT NULL,
  PRIMARY KEY (item_id, user_id)
);

CREATE TABLE customer_praise (
  id                     INTEGER PRIMARY KEY,
  item_id                INTEGER NOT NULL REFERENCES feedback_items (id),
  passed_on_by           TEXT    NOT NULL,
  recipient_id           TEXT    NOT NULL,
  recipient_departments  TEXT    NOT NULL DEFAULT '[]',
  created_at             INTEGER NOT NULL,
  notified_at            INTEGER,
  UNIQUE (item_id, recipient_id)
);
CREATE INDEX customer_praise_recipient ON customer_praise (recipient_id, created_at);
CREATE INDEX customer_praise_created ON customer_praise (created_at, recipient_departments);

CREATE TABLE customer_praise_cards (
  item_id          INTEGER PRIMARY KEY REFERENCES feedback_items (id),
  recorded_at      INTEGER NOT NULL,
  post_channel_id  TEXT,
  post_ts          TEXT
);
CREATE INDEX customer_praise_cards_post ON customer_praise_cards (post_ts, post_channel_id) WHERE post_ts IS NOT NULL;
`;
