import type { Db } from '../store/db.js';
import { fromNull } from '../store/rows.js';
import { stmt } from '../store/statements.js';

/** Who a praise item names (`feedback_praised`) and its card (`customer_praise_cards`), migration 0016. */

export function insertPraised(db: Db, itemId: number, userIds: readonly string[]): void {
  const insert = stmt(
    db,
    'INSERT INTO feedback_praised (item_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
  );
  for (const userId of userIds) insert.run(itemId, userId);
}

/** The people the reporter named, as filed (before anyone was looked up). */
export function listPraised(db: Db, itemId: number): string[] {
  return stmt(db, 'SELECT user_id FROM feedback_praised WHERE item_id = ? ORDER BY rowid')
    .pluck()
    .all(itemId) as string[];
}

export type PraiseCard = { itemId: number; recordedAt: number; postChannelId?: string; postTs?: string };

type PraiseCardRow = {
  item_id: number;
  recorded_at: number;
  post_channel_id: string | null;
  post_ts: string | null;
};

export function getPraiseCard(db: Db, itemId: number): PraiseCard | undefined {
  const row = stmt(db, 'SELECT * FROM customer_praise_cards WHERE item_id = ?').get(itemId) as
    | PraiseCardRow
    | undefined;
  if (!row) return undefined;
  const channel = fromNull(row.post_channel_id);
  const ts = fromNull(row.post_ts);
  return {
    itemId: row.item_id,
    recordedAt: row.recorded_at,
    ...(channel !== undefined ? { postChannelId: channel } : {}),
    ...(ts !== undefined ? { postTs: ts } : {}),
  };
}

/** The praise of this item is being recorded now; false when it already was (a retried delivery). */
export function claimPraiseCard(db: Db, itemId: number, now: number): boolean {
  return (
    stmt(
      db,
      'INSERT INTO customer_praise_cards (item_id, recorded_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
    ).run(itemId, now).changes === 1
  );
}

export function setPraiseCardPost(db: Db, itemId: number, channelId: string, ts: string): void {
  stmt(db, 'UPDATE customer_praise_cards SET post_channel_id = ?, post_ts = ? WHERE item_id = ?').run(
    channelId,
    ts,
    itemId,
  );
}
