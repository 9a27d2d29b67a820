/**
 * The kudos ledger. A give (`kudos`) thanks one or more people; the ledger holds one row per recipient, which is
 * what allowances, caps, leaderboards and digests count. Withdrawals mark rows (`revoked_at`), never delete them.
 * Unique keys are partial (active rows only): a repeated Slack event or reaction never counts twice, yet a
 * reaction removed and added again later can count again.
 */
export const sql = `
CREATE TABLE kudos (
  id                 INTEGER PRIMARY KEY,
  source_key         TEXT    NOT NULL,
  team_id            TEXT    NOT NULL,
  giver_id           TEXT    NOT NULL,
  source             TEXT    NOT NULL CHECK (source IN ('command', 'shortcut', 'reaction')),
  reason             TEXT    NOT NULL,
  value_ids          TEXT    NOT NULL DEFAULT '[]',
  giver_departments  TEXT    NOT NULL DEFAULT '[]',
  giver_tz           TEXT    NOT NULL,
  origin_channel_id  TEXT,
  source_channel_id  TEXT,
  source_message_ts  TEXT,
  post_channel_id    TEXT,
  post_ts            TEXT,
  created_at         INTEGER NOT NULL,
  revoked_at         INTEGER,
  revoked_reason     TEXT
);
CREATE UNIQUE INDEX kudos_active_source ON kudos (source_key) WHERE revoked_at IS NULL;
CREATE INDEX kudos_source_message ON kudos (source_channel_id, source_message_ts);

CREATE TABLE kudos_ledger (
  id                     INTEGER PRIMARY KEY,
  kudos_id               INTEGER NOT NULL REFERENCES kudos (id),
  unique_key             TEXT    NOT NULL,
  giver_id               TEXT    NOT NULL,
  recipient_id           TEXT    NOT NULL,
  giver_departments      TEXT    NOT NULL DEFAULT '[]',
  recipient_departments  TEXT    NOT NULL DEFAULT '[]',
  cross_department       INTEGER NOT NULL DEFAULT 0,
  value_ids              TEXT    NOT NULL DEFAULT '[]',
  source                 TEXT    NOT NULL,
  created_at             INTEGER NOT NULL,
  revoked_at             INTEGER
);
CREATE UNIQUE INDEX kudos_ledger_active_key ON kudos_ledger (unique_key) WHERE revoked_at IS NULL;
CREATE INDEX kudos_ledger_kudos ON kudos_ledger (kudos_id);
CREATE INDEX kudos_ledger_giver_created ON kudos_ledger (giver_id, created_at) WHERE revoked_at IS NULL;
CREATE INDEX kudos_ledger_recipient_created ON kudos_ledger (recipient_id, created_at) WHERE revoked_at IS NULL;
CREATE INDEX kudos_ledger_created_recipient ON kudos_ledger (created_at, recipient_id) WHERE revoked_at IS NULL;

CREATE TABLE slack_events (
  event_id     TEXT    PRIMARY KEY,
  type         TEXT    NOT NULL,
  received_at  INTEGER NOT NULL
);
CREATE INDEX slack_events_received ON slack_events (received_at);

CREATE TABLE kudos_home_prefs (
  user_id             TEXT    PRIMARY KEY,
  leaderboard_period  TEXT    NOT NULL,
  updated_at          INTEGER NOT NULL
);
`;
