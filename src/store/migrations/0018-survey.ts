/**
 * Customer surveys (issue 18): one request per resolution of an item (`event_id`, the `resolve` history row), made
 * when the reporter's "resolved" DM is rendered. `public_id` is the random name the signed link carries (never the
 * row id, which would tell how many surveys were sent); `expires_at` is signed into the link too. The answer fills
 * `score` (1-5), `comment` (the customer's untrusted words, escaped wherever shown), `answered_at`, and
 * `answered_via` (`page`: the customer, `rep`: recorded by `recorded_by` in the modal). `department_id` is the
 * department that resolved the item: satisfaction counts for it, over `survey_answers_department`.
 */
export const sql = `
CREATE TABLE survey_requests (
  id            INTEGER PRIMARY KEY,
  public_id     TEXT    NOT NULL UNIQUE,
  item_id       INTEGER NOT NULL REFERENCES feedback_items (id),
  event_id      INTEGER NOT NULL UNIQUE REFERENCES feedback_events (id),
  department_id TEXT,
  reporter_id   TEXT    NOT NULL,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  score         INTEGER CHECK (score BETWEEN 1 AND 5),
  comment       TEXT,
  answered_at   INTEGER,
  answered_via  TEXT    CHECK (answered_via IN ('page', 'rep')),
  recorded_by   TEXT,
  CHECK ((answered_at IS NULL) = (score IS NULL))
);

CREATE INDEX survey_requests_item ON survey_requests (item_id);
CREATE INDEX survey_answers_department ON survey_requests (department_id, answered_at, score)
  WHERE answered_at IS NOT NULL;
`;
