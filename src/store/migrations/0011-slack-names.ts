/**
 * Ids of the names written in the org config (`#billing`, `ana@example.com`, `@support-team`), as Slack last
 * answered: the app starts from these without asking Slack, and refreshes them in the background and on reload.
 */
export const sql = `
CREATE TABLE slack_names (
  kind         TEXT    NOT NULL CHECK (kind IN ('channel', 'user', 'usergroup')),
  name         TEXT    NOT NULL,
  slack_id     TEXT    NOT NULL,
  resolved_at  INTEGER NOT NULL,
  PRIMARY KEY (kind, name)
) WITHOUT ROWID;
`;
