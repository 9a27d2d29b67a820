import type { Db } from '../store/db.js';
import { fromNull } from '../store/rows.js';
import { stmt } from '../store/statements.js';
import type { WordsCandidate } from './similarity.js';
import { FEEDBACK_LIMITS } from './types.js';

/** Similar reports and at-risk customers: what a new item is compared with, and what it found. */

/**
 * Every report of this customer filed in the window (any number: same customer always links), with its words;
 * asked before the new report is stored.
 */
export function listCustomerCandidates(
  db: Db,
  q: { teamId: string; since: number; customerId: number },
): WordsCandidate[] {
  const rows = stmt(
    db,
    `SELECT id, customer_id, similarity_words FROM feedback_items
       WHERE customer_id = @customerId AND team_id = @teamId AND created_at >= @since`,
  ).all(q) as { id: number; customer_id: number | null; similarity_words: string }[];
  return rows.map((r) => ({
    id: r.id,
    customerId: fromNull(r.customer_id),
    words: new Set(r.similarity_words === '' ? [] : r.similarity_words.split(' ')),
  }));
}

/**
 * Links kept per item: the best ones, as many as its post names (the caller keeps only those); how many matched
 * in all is stored with the item (`similar_count`) and shown as the total. With 50 kept, a burst of one
 * recurring complaint wrote ~39 link rows per item, the largest single cost of its intake.
 */
const MAX_SIMILAR_LINKS = FEEDBACK_LIMITS.similarNamed;

/** Links to the best matches (`matches`, best first, at most MAX_SIMILAR_LINKS of them are kept). */
export function linkSimilarItems(
  db: Db,
  itemId: number,
  matches: readonly { id: number; reason: 'customer' | 'text'; score: number }[],
): void {
  const insert = stmt(
    db,
    'INSERT OR IGNORE INTO feedback_similar (item_id, similar_item_id, reason, score) VALUES (?, ?, ?, ?)',
  );
  for (const m of matches.slice(0, MAX_SIMILAR_LINKS)) insert.run(itemId, m.id, m.reason, m.score);
}

/** The best linked reports of an item, up to MAX_SIMILAR_LINKS (items filed before it was lowered kept 50). */
export function listSimilarItemIds(db: Db, itemId: number): number[] {
  return stmt(
    db,
    `SELECT similar_item_id FROM feedback_similar WHERE item_id = ? ORDER BY score DESC, similar_item_id DESC
       LIMIT ${MAX_SIMILAR_LINKS}`,
  )
    .pluck()
    .all(itemId) as number[];
}

export function countCustomerComplaintsSince(db: Db, customerId: number, since: number): number {
  return stmt(
    db,
    `SELECT COUNT(*) FROM feedback_items WHERE customer_id = ? AND kind = 'complaint' AND created_at >= ?`,
  )
    .pluck()
    .get(customerId, since) as number;
}

/** Marks the customer at risk (first time kept) and the item as filed for an at-risk customer. */
export function markCustomerAtRisk(
  db: Db,
  customerId: number,
  itemId: number,
  complaints: number,
  now: number,
): void {
  stmt(
    db,
    'UPDATE customers SET at_risk_since = COALESCE(at_risk_since, ?), at_risk_complaints = ? WHERE id = ?',
  ).run(now, complaints, customerId);
  stmt(db, 'UPDATE feedback_items SET customer_at_risk = 1 WHERE id = ?').run(itemId);
}

export type CustomerRisk = { atRiskSince: number | undefined; complaints: number };

export function getCustomerRisk(db: Db, customerId: number): CustomerRisk | undefined {
  const row = stmt(db, 'SELECT at_risk_since, at_risk_complaints FROM customers WHERE id = ?').get(
    customerId,
  ) as { at_risk_since: number | null; at_risk_complaints: number } | undefined;
  return row ? { atRiskSince: fromNull(row.at_risk_since), complaints: row.at_risk_complaints } : undefined;
}
