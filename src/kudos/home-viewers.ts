import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';

/**
 * Who has opened the app's Home tab (`home_viewers`). Only their Homes are published again when something on
 * them changes: anyone else's Home is published when they first open it (app_home_opened), so publishing it
 * before is a Slack call and a leaderboard query nobody sees.
 */

/** The person opened their Home (or used it): from now on it is kept current. */
export function recordHomeViewer(db: Db, userId: string, now: number): void {
  stmt(db, 'INSERT INTO home_viewers (user_id, first_opened_at) VALUES (?, ?) ON CONFLICT DO NOTHING').run(
    userId,
    now,
  );
}

/** Those of these people who have opened their Home, in the order given. */
export function homeViewersAmong(db: Db, userIds: readonly string[]): string[] {
  if (userIds.length === 0) return [];
  const viewers = new Set(
    stmt(db, 'SELECT user_id FROM home_viewers WHERE user_id IN (SELECT value FROM json_each(?))')
      .pluck()
      .all(JSON.stringify(userIds)) as string[],
  );
  return userIds.filter((id) => viewers.has(id));
}
