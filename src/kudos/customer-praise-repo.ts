import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';

/**
 * Customer praise (migration 0016): the kudos ledger's own table for praise a customer gave colleagues, one row
 * per colleague, with the reporter who passed it on. It is outside every allowance, leaderboard, running total
 * and cross-team number, none of which read this table.
 */

export type NewCustomerPraise = {
  itemId: number;
  passedOnBy: string;
  recipientId: string;
  recipientDepartments: string[];
  now: number;
};

/** Record one colleague's praise; false when it was already recorded (a retried delivery). */
export function insertCustomerPraise(db: Db, p: NewCustomerPraise): boolean {
  return (
    stmt(
      db,
      `INSERT INTO customer_praise (item_id, passed_on_by, recipient_id, recipient_departments, created_at)
       VALUES (?, ?, ?, ?, ?) ON CONFLICT (item_id, recipient_id) DO NOTHING`,
    ).run(p.itemId, p.passedOnBy, p.recipientId, JSON.stringify(p.recipientDepartments), p.now).changes === 1
  );
}

/** The colleagues an item's praise was passed on to, in the order they were named. */
export function listCustomerPraiseRecipients(db: Db, itemId: number): string[] {
  return stmt(db, 'SELECT recipient_id FROM customer_praise WHERE item_id = ? ORDER BY id')
    .pluck()
    .all(itemId) as string[];
}

export function markCustomerPraiseNotified(db: Db, itemId: number, recipientId: string, now: number): void {
  stmt(db, 'UPDATE customer_praise SET notified_at = ? WHERE item_id = ? AND recipient_id = ?').run(
    now,
    itemId,
    recipientId,
  );
}

/** What the Home tab shows of the customer praise a person received. */
export type CustomerPraiseReceived = {
  sinceCount: number;
  latest: { reference: string; summary: string; passedOnBy: string; createdAt: number } | undefined;
};

/** How much customer praise the person received since `since`, and the latest (over the recipient's index). */
export function customerPraiseReceived(db: Db, userId: string, since: number): CustomerPraiseReceived {
  const sinceCount = stmt(
    db,
    'SELECT COUNT(*) FROM customer_praise WHERE recipient_id = ? AND created_at >= ?',
  )
    .pluck()
    .get(userId, since) as number;
  const latest = stmt(
    db,
    `SELECT p.item_id, i.summary, p.passed_on_by, p.created_at FROM customer_praise p
       JOIN feedback_items i ON i.id = p.item_id
       WHERE p.recipient_id = ? ORDER BY p.created_at DESC, p.id DESC LIMIT 1`,
  ).get(userId) as { item_id: number; summary: string; passed_on_by: string; created_at: number } | undefined;
  return {
    sinceCount,
    latest: latest && {
      reference: `FB-${latest.item_id}`,
      summary: latest.summary,
      passedOnBy: latest.passed_on_by,
      createdAt: latest.created_at,
    },
  };
}

/** The customer praise whose "A customer said…" card is this message: a reaction to it thanks the people named. */
export function findCustomerPraiseByCard(
  db: Db,
  channelId: string,
  postTs: string,
): { itemId: number; recipientIds: string[] } | undefined {
  const itemId = stmt(
    db,
    'SELECT item_id FROM customer_praise_cards WHERE post_ts = ? AND post_channel_id = ?',
  )
    .pluck()
    .get(postTs, channelId) as number | undefined;
  return itemId === undefined
    ? undefined
    : { itemId, recipientIds: listCustomerPraiseRecipients(db, itemId) };
}
