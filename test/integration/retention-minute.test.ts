import { afterEach, beforeEach, expect, it } from 'vitest';
import { DAY, seedYear } from '../../scripts/bench/seed-year.js';
import { purgeCustomerDetails } from '../../src/retention/customer-details.js';
import { createRetentionService, PURGE_SLICE } from '../../src/retention/service.js';
import { orgConfig } from '../support/org-fixture.js';
import { executionsOf, queryPlanOf } from '../support/statements.js';
import { silentLogger, tempDatabase } from '../support/temp-dir.js';

/**
 * Retention runs every minute; at a year of data, each minute that removed anything held the app ~0.6 s (issue
 * 14): the theme words' count skip-scanned the themes' index over every item filed before the cut-off (removed
 * long ago included), and every customer of the company was looked at to see whether any item still kept their
 * details. Now each reads only the items still keeping details past the cut-off, and their customers. And the
 * first removal after retention is set (months of items: ~8 s in one transaction) goes in slices.
 */

const END = Date.parse('2026-11-23T08:00:00Z');
let store: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  store = tempDatabase();
  // A year of items with themes, customers and their outcomes (the benchmark's seed, small).
  seedYear(store.db, { items: 4000, kudos: 0, departments: ['billing', 'shipping'], end: END });
  store.db.exec('ANALYZE');
});
afterEach(() => store.remove());

it("a minute's removal reads only the items past the cut-off that keep details, and only their customers", async () => {
  const { db } = store;
  const first = purgeCustomerDetails(db, { days: 180, now: END, by: 'schedule' });
  expect(first.items).toBeGreaterThan(1000);
  expect(first.customers).toBeGreaterThan(0);
  // A day later: the items filed that day half a year ago go, and the customers left with none.
  const leftWith = (customerIds: number[]) =>
    customerIds.filter(
      (id) =>
        db
          .prepare('SELECT 1 FROM feedback_items WHERE customer_id = ? AND created_at >= ?')
          .get(id, END + DAY - 180 * DAY) === undefined,
    );
  const next = db
    .prepare(
      `SELECT DISTINCT customer_id FROM feedback_items WHERE customer_id IS NOT NULL
         AND customer_details_removed_at IS NULL AND created_at < ?`,
    )
    .pluck()
    .all(END + DAY - 180 * DAY) as number[];
  expect(next.length).toBeGreaterThan(0);
  let second = { items: 0, customers: 0 };
  const ran = await executionsOf(db, async () => {
    second = purgeCustomerDetails(db, { days: 180, now: END + DAY, by: 'schedule' });
  });
  expect(second.items).toBeGreaterThan(0);
  expect(second.customers).toBe(leftWith(next).length);

  const themeWords = ran.find((r) => /UPDATE theme_term_counts/.test(r.sql));
  const plan = queryPlanOf(db, themeWords?.sql ?? '').join('\n');
  expect(plan).toMatch(/SEARCH f USING INDEX feedback_items_details_kept/);
  // Every read of the items past the cut-off goes through the index of the items that keep details.
  const cutOff = ran.filter((r) => /created_at < \?/.test(r.sql));
  expect(cutOff.length).toBeGreaterThan(5);
  for (const r of cutOff) {
    const steps = db.prepare(`EXPLAIN QUERY PLAN ${r.sql}`).all(...r.args) as { detail: string }[];
    expect(steps.map((step) => step.detail).join('\n'), r.sql).toMatch(/feedback_items_details_kept/);
  }
  // The customers looked at are those of the items removed (found from the items that keep details), each by its id.
  const customersOfItems = ran.find((r) => /SELECT DISTINCT customer_id/.test(r.sql));
  expect(queryPlanOf(db, customersOfItems?.sql ?? '').join('\n')).toMatch(/feedback_items_details_kept/);
  const customers = ran.filter((r) => /UPDATE customers/.test(r.sql));
  expect(customers.flatMap((r) => r.args.filter((a) => typeof a === 'number')).sort()).toEqual(
    [...next].sort(),
  );
  for (const r of customers) {
    const steps = db.prepare(`EXPLAIN QUERY PLAN ${r.sql}`).all(...r.args) as { detail: string }[];
    expect(steps.map((step) => step.detail).join('\n')).not.toMatch(/SCAN customers/);
  }
});

it('removes months of details in transactions of PURGE_SLICE items, waiting for Slack requests between them', async () => {
  const { db } = store;
  let requests = 1;
  let erased = 0;
  const retention = createRetentionService({
    db,
    clock: { now: () => END },
    config: () => orgConfig({ retention: { customer_details_days: 180 } }),
    logger: silentLogger,
    onErased: () => erased++,
    requestsInFlight: () => requests,
  });
  const removed = () =>
    db
      .prepare('SELECT COUNT(*) FROM feedback_items WHERE customer_details_removed_at IS NOT NULL')
      .pluck()
      .get();
  const running = retention.runDue(END);
  expect(removed()).toBe(PURGE_SLICE); // the first slice, before the event loop turns
  await new Promise((resolve) => setTimeout(resolve, 30));
  expect(removed()).toBe(PURGE_SLICE); // a Slack request is being answered: the next slice waits
  requests = 0;
  const total = await running;
  expect(total.items).toBeGreaterThan(3 * PURGE_SLICE);
  expect(removed()).toBe(total.items);
  // Each slice recorded what it removed; all of it past the cut-off.
  const slices = Math.ceil(total.items / PURGE_SLICE);
  expect(db.prepare('SELECT COUNT(*), SUM(items) FROM customer_erasures').raw().get()).toEqual([
    slices,
    total.items,
  ]);
  // What memory keeps of the erased words is dropped once for the run (it reloads the theme model), not per slice.
  expect(erased).toBe(1);
  expect(
    db
      .prepare(
        'SELECT COUNT(*) FROM feedback_items WHERE customer_details_removed_at IS NULL AND created_at < ?',
      )
      .pluck()
      .get(END - 180 * DAY),
  ).toBe(0);
});

it("stops a minute's removal once its time is spent, and the next minute goes on", async () => {
  const { db } = store;
  let erased = 0;
  const retention = createRetentionService({
    db,
    clock: { now: () => END },
    config: () => orgConfig({ retention: { customer_details_days: 180 } }),
    logger: silentLogger,
    onErased: () => erased++,
    tickWallMs: 0,
  });
  const first = await retention.runDue(END);
  expect(first.items).toBe(PURGE_SLICE);
  expect(erased).toBe(1);
  const second = await retention.runDue(END);
  expect(second.items).toBe(PURGE_SLICE);
  expect(erased).toBe(2);
});
