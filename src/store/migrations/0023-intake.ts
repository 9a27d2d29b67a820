/**
 * Intake throughput (issue 13).
 *
 * `home_viewers`: the people who have opened the app's Home tab. A Home is published again after a kudos only for
 * them: for anyone else the publish is a Slack call and a leaderboard query nobody sees, since opening the Home
 * publishes it anyway (app_home_opened). Seeded with everyone known to have opened it: those who chose a
 * leaderboard period or department, and those whose opening of it queued a publish still in the outbox.
 */
export const sql = `
CREATE TABLE home_viewers (
  user_id          TEXT    PRIMARY KEY,
  first_opened_at  INTEGER NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO home_viewers (user_id, first_opened_at)
  SELECT user_id, updated_at FROM kudos_home_prefs;
INSERT OR IGNORE INTO home_viewers (user_id, first_opened_at)
  SELECT json_extract(payload, '$.userId'), MIN(created_at) FROM outbox
   WHERE kind = 'home.publish' AND dedupe_key LIKE 'home:%:opened:%'
     AND json_extract(payload, '$.userId') IS NOT NULL
   GROUP BY json_extract(payload, '$.userId');
`;
