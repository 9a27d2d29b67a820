/** Feedback items with their routing and history, customers, and the durable outbox of Slack posts. */
export const sql = `
CREATE TABLE customers (
  id              INTEGER PRIMARY KEY,
  team_id         TEXT    NOT NULL,
  identifier      TEXT    NOT NULL,
  identifier_key  TEXT    NOT NULL,
  created_at      INTEGER NOT NULL,
  UNIQUE (team_id, identifier_key)
);

CREATE TABLE feedback_items (
  id                 INTEGER PRIMARY KEY,
  idempotency_key    TEXT    NOT NULL UNIQUE,
  team_id            TEXT    NOT NULL,
  reporter_id        TEXT    NOT NULL,
  source             TEXT    NOT NULL CHECK (source IN ('command', 'modal', 'shortcut')),
  customer_id        INTEGER REFERENCES customers (id),
  contact_channel    TEXT,
  kind               TEXT    NOT NULL,
  severity           TEXT    NOT NULL,
  summary            TEXT    NOT NULL,
  details            TEXT    NOT NULL DEFAULT '',
  department_id      TEXT,
  status             TEXT    NOT NULL,
  origin_channel_id  TEXT,
  source_channel_id  TEXT,
  source_message_ts  TEXT,
  source_permalink   TEXT,
  post_channel_id    TEXT,
  post_ts            TEXT,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);
CREATE INDEX feedback_items_department_created ON feedback_items (department_id, created_at);
CREATE INDEX feedback_items_status_created ON feedback_items (status, created_at);
CREATE INDEX feedback_items_reporter ON feedback_items (reporter_id, created_at);
CREATE INDEX feedback_items_customer ON feedback_items (customer_id, created_at);

CREATE TABLE feedback_routing (
  id             INTEGER PRIMARY KEY,
  item_id        INTEGER NOT NULL REFERENCES feedback_items (id),
  department_id  TEXT,
  method         TEXT    NOT NULL CHECK (method IN ('explicit', 'rules', 'triage')),
  reason         TEXT    NOT NULL,
  score          REAL    NOT NULL DEFAULT 0,
  matched        TEXT    NOT NULL DEFAULT '[]',
  decided_by     TEXT,
  decided_at     INTEGER NOT NULL
);
CREATE INDEX feedback_routing_item ON feedback_routing (item_id, decided_at);

CREATE TABLE feedback_events (
  id           INTEGER PRIMARY KEY,
  item_id      INTEGER NOT NULL REFERENCES feedback_items (id),
  at           INTEGER NOT NULL,
  actor_id     TEXT    NOT NULL,
  action       TEXT    NOT NULL,
  from_status  TEXT,
  to_status    TEXT,
  note         TEXT
);
CREATE INDEX feedback_events_item ON feedback_events (item_id, at);

CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY,
  kind             TEXT    NOT NULL,
  payload          TEXT    NOT NULL,
  dedupe_key       TEXT    NOT NULL UNIQUE,
  status           TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  last_error       TEXT,
  created_at       INTEGER NOT NULL,
  finished_at      INTEGER
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
`;
