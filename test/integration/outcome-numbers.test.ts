import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  contactedCounts,
  contactedRate,
  customerOutcomes,
  customersKeptRate,
  itemsWithLostCustomer,
} from '../../src/metrics/numbers.js';
import { outcomeReport } from '../../src/metrics/outcome-report.js';
import { createDueFollowUps, listDueFollowUps } from '../../src/outcomes/follow-up-repo.js';
import { type Db, openDatabase } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import { migrationsBefore } from '../support/migrations-before.js';
import { statementsOf } from '../support/statements.js';
import { silentLogger, tempDatabase, tempDir } from '../support/temp-dir.js';

/**
 * The outcome numbers against a hand-counted fixture, and the plans of every query behind them and behind the
 * follow-up job: index searches only (covering for the numbers), so they stay fast over a year of data.
 */

let store: ReturnType<typeof tempDatabase>;
let nextItem = 1;
beforeEach(() => {
  store = tempDatabase();
  nextItem = 1;
});
afterEach(() => store.remove());

const DAY = 86_400_000;
const W = Date.parse('2026-11-16T00:00:00Z'); // the week counted: [W, W + 7 days)
const week = { start: W, end: W + 7 * DAY };

function item(
  db: Db,
  i: {
    department: string;
    resolvedAt?: number;
    customer?: number;
    answer?: 'told' | 'unreachable';
    kind?: string;
    status?: string;
  },
): number {
  const id = nextItem++;
  db.prepare(
    `INSERT INTO feedback_items (id, idempotency_key, team_id, reporter_id, source, customer_id, kind, severity,
       summary, department_id, status, created_at, updated_at, resolved_at, contact_answer)
     VALUES (?, ?, 'T1', 'U0REP', 'command', ?, ?, 'normal', 's', ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    `k${id}`,
    i.customer ?? null,
    i.kind ?? 'complaint',
    i.department,
    i.status ?? (i.resolvedAt === undefined ? 'new' : 'resolved'),
    W - 30 * DAY,
    W,
    i.resolvedAt ?? null,
    i.answer ?? null,
  );
  return id;
}

function customer(db: Db, id: number): number {
  db.prepare(
    `INSERT INTO customers (id, team_id, identifier, identifier_key, created_at) VALUES (?, 'T1', ?, ?, 0)`,
  ).run(id, `c${id}`, `c${id}`);
  return id;
}

function outcome(
  db: Db,
  o: { item: number; customer: number; department: string; outcome: string; at: number; reason?: string },
) {
  db.prepare(
    `INSERT INTO customer_follow_ups (item_id, resolved_at, customer_id, department_id, reporter_id, created_at,
       outcome, reason, recorded_at) VALUES (?, ?, ?, ?, 'U0REP', ?, ?, ?, ?)`,
  ).run(o.item, o.at - 30 * DAY, o.customer, o.department, o.at, o.outcome, o.reason ?? null, o.at);
}

/**
 * Billing, this week: 4 resolved items with a customer (2 told, 1 unreachable, 1 unanswered), 1 resolved without a
 * customer (not counted), 1 with a customer resolved last week (not counted); Shipping: 1 told.
 * Outcomes this week: Billing kept 2 (one came back), lost 2 (price, price), unknown 1; Shipping lost 1 (service).
 * Last week: Billing kept 1, lost 1 (quality).
 */
function seed(db: Db) {
  for (const c of [1, 2, 3, 4, 5, 6]) customer(db, c);
  const mid = W + 3 * DAY;
  const b1 = item(db, { department: 'billing', resolvedAt: mid, customer: 1, answer: 'told' });
  const b2 = item(db, { department: 'billing', resolvedAt: mid, customer: 2, answer: 'told' });
  item(db, { department: 'billing', resolvedAt: mid, customer: 3, answer: 'unreachable' });
  item(db, { department: 'billing', resolvedAt: W, customer: 4 });
  item(db, { department: 'billing', resolvedAt: mid, answer: 'told' });
  item(db, { department: 'billing', resolvedAt: W - DAY, customer: 4, answer: 'told' });
  item(db, { department: 'shipping', resolvedAt: week.end - 1, customer: 5, answer: 'told' });
  const open = item(db, { department: 'billing', customer: 2 });
  outcome(db, { item: b1, customer: 1, department: 'billing', outcome: 'kept', at: mid });
  outcome(db, { item: b2, customer: 2, department: 'billing', outcome: 'came_back', at: mid });
  outcome(db, { item: 3, customer: 3, department: 'billing', outcome: 'lost', reason: 'price', at: mid });
  outcome(db, { item: 4, customer: 4, department: 'billing', outcome: 'lost', reason: 'price', at: W });
  outcome(db, { item: 6, customer: 4, department: 'billing', outcome: 'unknown', at: week.end - 1 });
  outcome(db, { item: 7, customer: 5, department: 'shipping', outcome: 'lost', reason: 'service', at: mid });
  outcome(db, { item: 5, customer: 6, department: 'billing', outcome: 'kept', at: W - DAY });
  outcome(db, {
    item: open,
    customer: 2,
    department: 'billing',
    outcome: 'lost',
    reason: 'quality',
    at: W - 2 * DAY,
  });
  outcome(db, { item: 1, customer: 1, department: 'billing', outcome: 'kept', at: week.end }); // next week
}

it('counts told, kept, lost, unknown and reasons per department as counted by hand', () => {
  const db = store.db;
  seed(db);
  const ids = ['billing', 'shipping', 'product'];
  expect(contactedCounts(db, ids, week)).toEqual(
    new Map([
      ['billing', { told: 2, resolved: 4 }],
      ['shipping', { told: 1, resolved: 1 }],
      ['product', { told: 0, resolved: 0 }],
    ]),
  );
  const outcomes = customerOutcomes(db, ids, week);
  expect(outcomes.get('billing')).toEqual({
    kept: 2,
    cameBack: 1,
    lost: 2,
    unknown: 1,
    reasons: { price: 2 },
  });
  expect(outcomes.get('shipping')).toEqual({
    kept: 0,
    cameBack: 0,
    lost: 1,
    unknown: 0,
    reasons: { service: 1 },
  });
  expect(contactedRate({ told: 2, resolved: 4 })).toBe(50);
  expect(contactedRate({ told: 0, resolved: 0 })).toBeUndefined();
  expect(
    customersKeptRate(outcomes.get('billing') ?? { kept: 0, cameBack: 0, lost: 0, unknown: 0, reasons: {} }),
  ).toBe(40);

  const report = outcomeReport(db, ['billing', 'shipping'], week);
  expect(report.current.outcomes).toEqual({
    kept: 2,
    cameBack: 1,
    lost: 3,
    unknown: 1,
    reasons: { price: 2, service: 1 },
  });
  expect(report.current.contacted).toEqual({ told: 3, resolved: 5 });
  expect(report.previous.outcomes).toEqual({
    kept: 1,
    cameBack: 0,
    lost: 1,
    unknown: 0,
    reasons: { quality: 1 },
  });
  expect(report.previous.contacted).toEqual({ told: 1, resolved: 1 });

  // Customer 2 and 4 were lost (a "Left" on any of their items): every item of theirs says so.
  expect([...itemsWithLostCustomer(db, [1, 2, 3, 4, 6, 7, 8])].sort()).toEqual([2, 3, 4, 6, 7, 8]);
});

it('reads every outcome number and the follow-up job from indexes (covering for the numbers), never a whole table', () => {
  const db = store.db;
  seed(db);
  const queries = [
    ...new Set(
      statementsOf(db, () => {
        contactedCounts(db, ['billing'], week);
        customerOutcomes(db, ['billing', 'shipping'], week);
        itemsWithLostCustomer(db, [1, 2]);
        createDueFollowUps(db, { after: { at: 0, id: 0 }, through: week.end }, week.end, 500);
        listDueFollowUps(db, week.end, 500);
      }),
    ),
  ].filter((sql) => /^\s*SELECT/.test(sql));
  expect(queries).toHaveLength(5);
  for (const sql of queries) {
    const binds = (sql.match(/\?/g) ?? []).length;
    const plan = (
      db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array<number>(binds).fill(1)) as { detail: string }[]
    ).map((r) => r.detail);
    expect(
      plan.filter((line) => /^SCAN /.test(line)),
      `${sql}\n${plan.join('\n')}`,
    ).toEqual([]);
    if (/customer_follow_ups WHERE outcome|contact_answer = 'told'/.test(sql)) {
      expect(plan.join(' | '), sql).toContain('USING COVERING INDEX');
    }
  }
});

it('items resolved before the contacted buttons keep the resolve form flag as their answer (migration 0019)', () => {
  const dir = tempDir();
  const db = openDatabase(join(dir.path, 'old.db'));
  try {
    const before = migrationsBefore('outcomes');
    migrate(db, before, silentLogger);
    customer(db, 1);
    db.prepare(
      `INSERT INTO feedback_items (id, idempotency_key, team_id, reporter_id, source, customer_id, kind, severity,
         summary, department_id, status, created_at, updated_at, resolved_at, customer_contacted)
       VALUES (?, ?, 'T1', 'U0REP', 'command', 1, 'complaint', 'normal', 's', 'billing', 'resolved', 0, 0, ?, ?)`,
    ).run(1, 'k1', W, 1);
    db.prepare(
      `INSERT INTO feedback_items (id, idempotency_key, team_id, reporter_id, source, customer_id, kind, severity,
         summary, department_id, status, created_at, updated_at, resolved_at, customer_contacted)
       VALUES (?, ?, 'T1', 'U0REP', 'command', 1, 'complaint', 'normal', 's', 'billing', 'resolved', 0, 0, ?, ?)`,
    ).run(2, 'k2', W, 0);
    migrate(db, migrations, silentLogger);
    expect(contactedCounts(db, ['billing'], week).get('billing')).toEqual({ told: 1, resolved: 2 });
  } finally {
    db.close();
    dir.remove();
  }
});
