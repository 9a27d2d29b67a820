import { customerKey } from '../feedback/repo.js';
import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';
import { forgetThemeWords } from '../themes/theme-erasure.js';

/**
 * Removing customer details: after `retention.customer_details_days`, and for one customer on request.
 * An item keeps everything every number counts (its row, status, department, times, history, routing, SLA
 * escalations, the at-risk mark and the customer's internal id, so "customers at risk" still counts one
 * customer once); what goes is what identifies or quotes the customer: the name, how they reached us, the
 * summary and details, the word sets similarity and themes compare (the item keeps its theme), and the customer's
 * survey comments and the rep's note on why they left. A customer's name goes when none of their items keeps details. Each removal is recorded in `customer_erasures`: when, why, who asked, how many items and
 * customers, never the name.
 */

/** What a removed text reads as, wherever the item is shown again. */
export const REMOVED_TEXT = '(removed)';

const DAY_MS = 86_400_000;

export type Erasure = { items: number; customers: number };

/**
 * Blank the item texts (their theme words leave the theme statistics first) and the customers' survey comments on
 * them; return how many items changed. `index`: the one `where` reads, named in every statement (with statistics,
 * SQLite re-plans for each cut-off and took the customers' index, reading every item filed before it: up to 0.3 s
 * a slice of retention's first removal at 1M items).
 */
function blankItems(db: Db, where: string, params: unknown[], now: number, index?: string): number {
  const table = index ? `feedback_items INDEXED BY ${index}` : 'feedback_items';
  forgetThemeWords(db, `customer_details_removed_at IS NULL AND ${where}`, params, index);
  const items = `SELECT id FROM ${table} WHERE customer_details_removed_at IS NULL AND ${where}`;
  // The comments go with the item's details (their scores stay: satisfaction counts them).
  stmt(
    db,
    `UPDATE survey_requests SET comment = NULL WHERE comment IS NOT NULL AND item_id IN (${items})`,
  ).run(...params);
  // A rep's note on why the customer left is their words about the customer: it goes too, in the follow-up and in
  // the item's history line, which keeps only the reason (the reason stays: the numbers count it).
  stmt(
    db,
    `UPDATE feedback_events SET note = (SELECT f.reason FROM customer_follow_ups f
       WHERE f.item_id = feedback_events.item_id AND f.outcome = 'lost' ORDER BY f.recorded_at DESC LIMIT 1)
     WHERE action = 'outcome_lost' AND item_id IN (${items})`,
  ).run(...params);
  stmt(db, `UPDATE customer_follow_ups SET note = NULL WHERE note IS NOT NULL AND item_id IN (${items})`).run(
    ...params,
  );
  return stmt(
    db,
    `UPDATE ${table} SET summary = @removed, details = '', contact_channel = NULL, similarity_words = '',
         theme_terms = '[]', customer_details_removed_at = @now
       WHERE customer_details_removed_at IS NULL AND ${where}`,
  ).run({ removed: REMOVED_TEXT, now }, ...params).changes;
}

/**
 * Customers of the items filed before `before` that still have details (those the removal may leave without any),
 * from the index of the items that keep details (the customers' index would read every item that has a customer).
 */
function customersBefore(db: Db, before: number): number[] {
  return stmt(
    db,
    `SELECT DISTINCT customer_id FROM feedback_items INDEXED BY feedback_items_details_kept
       WHERE customer_details_removed_at IS NULL AND created_at < ? AND customer_id IS NOT NULL`,
  )
    .pluck()
    .all(before) as number[];
}

/**
 * Blank the names of the customers listed (`left`: only those no item keeps details for); return how many. Only
 * the customers of the items just removed are looked at: looking at every customer took ~120 ms at 1M items,
 * every minute that retention removed anything.
 */
function blankCustomers(db: Db, now: number, ids: readonly number[], left = false): number {
  const kept = `NOT EXISTS (SELECT 1 FROM feedback_items f
         WHERE f.customer_id = customers.id AND f.customer_details_removed_at IS NULL)`;
  let changes = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const some = ids.slice(i, i + 500);
    changes += stmt(
      db,
      `UPDATE customers SET identifier = @removed, identifier_key = 'removed:' || id, removed_at = @now
         WHERE removed_at IS NULL AND id IN (${some.map(() => '?').join(', ')}) ${left ? `AND ${kept}` : ''}`,
    ).run({ removed: REMOVED_TEXT, now }, ...some).changes;
  }
  return changes;
}

function record(
  db: Db,
  entry: { now: number; reason: 'retention' | 'request'; by: string; olderThan?: number } & Erasure,
): void {
  stmt(
    db,
    `INSERT INTO customer_erasures (at, reason, requested_by, items, customers, older_than)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(entry.now, entry.reason, entry.by, entry.items, entry.customers, entry.olderThan ?? null);
}

/**
 * Where a removal of at most `limit` items (the oldest that keep details, filed before `before`) stops: the
 * filing time of the next one, or `before` when fewer are left. Items filed in the same millisecond go together.
 */
function cutAfter(db: Db, before: number, limit: number): number {
  const times = stmt(
    db,
    `SELECT created_at FROM feedback_items INDEXED BY feedback_items_details_kept
       WHERE customer_details_removed_at IS NULL AND created_at < ? ORDER BY created_at LIMIT 1 OFFSET ?`,
  ).pluck();
  const next = times.get(before, limit) as number | undefined;
  if (next === undefined) return before;
  return next > (times.get(before, 0) as number) ? next : Math.min(before, next + 1);
}

/**
 * Remove the customer details of items filed more than `days` days before `now`: all of them, or the oldest
 * `limit` (`more`: some are left for another call; the first removal after retention is set covers months, ~8 s
 * in one transaction at a year of data). Idempotent and cheap when there is nothing to do (a partial index holds
 * only the items that still have details); records a removal only when something was removed. `by` is who asked
 * (`schedule`, or an admin's user id).
 */
export function purgeCustomerDetails(
  db: Db,
  input: { days: number; now: number; by: string; limit?: number },
): Erasure & { more: boolean } {
  const before = input.now - input.days * DAY_MS;
  return db.transaction(() => {
    const cut = input.limit === undefined ? before : cutAfter(db, before, input.limit);
    const customerIds = customersBefore(db, cut);
    const items = blankItems(db, 'created_at < ?', [cut], input.now, 'feedback_items_details_kept');
    const customers = items > 0 ? blankCustomers(db, input.now, customerIds, true) : 0;
    if (items > 0 || customers > 0)
      record(db, { now: input.now, reason: 'retention', by: input.by, olderThan: before, items, customers });
    return { items, customers, more: cut < before };
  })();
}

/**
 * Remove everything about one customer, on their request: every item's details and their name (matched the
 * way feedback matches customers, so "ACME Corp" finds "acme corp"). Records the removal even when nothing
 * matched, so the request itself is on file; `found` says whether the name matched a customer.
 */
export function forgetCustomer(
  db: Db,
  input: { name: string; now: number; by: string },
): Erasure & { found: boolean } {
  const key = customerKey(input.name);
  return db.transaction(() => {
    const ids = stmt(db, 'SELECT id FROM customers WHERE identifier_key = ? AND removed_at IS NULL')
      .pluck()
      .all(key) as number[];
    const items =
      ids.length === 0
        ? 0
        : blankItems(db, `customer_id IN (${ids.map(() => '?').join(', ')})`, ids, input.now);
    const customers = blankCustomers(db, input.now, ids);
    record(db, { now: input.now, reason: 'request', by: input.by, items, customers });
    return { items, customers, found: ids.length > 0 };
  })();
}
