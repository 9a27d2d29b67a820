import { afterEach, beforeEach, expect, it } from 'vitest';
import { customerKey } from '../../src/feedback/repo.js';
import { createKeptThemedItems } from '../../src/themes/kept-themed-items.js';
import { themeSums } from '../../src/themes/theme-totals.js';
import { statementsOf } from '../support/statements.js';
import { tempDatabase } from '../support/temp-dir.js';

/**
 * The `/loop digest` preview keeps the themed items of its week's closed edge (the hours of the first UTC day
 * before the week starts) and reads them again only once a bucket of that day was counted again: every change that
 * impact reads must make the kept read give what a fresh read gives.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DAY0 = Date.parse('2026-11-23T00:00:00Z');
const NOW = DAY0 + 2 * DAY + 12 * HOUR;
/** A week so far that starts at 08:00 UTC: the six items before it are fewer than those after, so they are read. */
const RANGE = { start: DAY0 + 8 * HOUR, end: NOW };
const DEPARTMENTS = ['billing', 'shipping'];

let store: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  store = tempDatabase();
  const { db } = store;
  for (const t of [1, 2, 3])
    db.prepare('INSERT INTO themes (id, name, created_at, updated_at) VALUES (?, ?, 0, 0)').run(
      t,
      `Theme ${t}`,
    );
  db.prepare(
    `INSERT INTO customers (id, team_id, identifier, identifier_key, created_at) VALUES (1, 'T1', 'Acme', ?, 0)`,
  ).run(customerKey('Acme'));
  const item = db.prepare(
    `INSERT INTO feedback_items (idempotency_key, team_id, reporter_id, source, customer_id, kind, severity, summary,
       department_id, status, created_at, updated_at, customer_at_risk, theme_id)
     VALUES (?, 'T1', 'U0REP00001', 'command', ?, 'complaint', 'normal', 's', ?, 'new', ?, ?, 0, ?)`,
  );
  // Hours 0-7 (before the range) hold six items per department, hours 8-23 eighteen; the next days a few more.
  let n = 0;
  for (const department of DEPARTMENTS) {
    for (let h = 0; h < 24; h += h < 8 ? 1.25 : 0.8) {
      const at = DAY0 + Math.floor(h * HOUR);
      item.run(`k${n}`, n % 3 === 0 ? 1 : null, department, at, at, 1 + (n % 3));
      n += 1;
    }
    for (let h = 24; h < 60; h += 5)
      item.run(`k${n++}`, null, department, DAY0 + h * HOUR, DAY0 + h * HOUR, 1);
  }
});
afterEach(() => store.remove());

/** An item of the kept edge: filed before the range starts, in billing. */
const edgeItem = () =>
  store.db
    .prepare(
      `SELECT id, created_at AS at FROM feedback_items WHERE department_id = 'billing' AND created_at < ?
         AND customer_id IS NOT NULL ORDER BY id LIMIT 1`,
    )
    .get(RANGE.start) as { id: number; at: number };

/** Each kind of change that moves an item's impact (or where it counts), made to an item of the kept edge. */
const CHANGES: [string, () => void][] = [
  [
    'resolved',
    () =>
      store.db
        .prepare(`UPDATE feedback_items SET status = 'resolved', resolved_at = ? WHERE id = ?`)
        .run(NOW - HOUR, edgeItem().id),
  ],
  [
    'severity',
    () => store.db.prepare(`UPDATE feedback_items SET severity = 'urgent' WHERE id = ?`).run(edgeItem().id),
  ],
  [
    'at risk',
    () => store.db.prepare('UPDATE feedback_items SET customer_at_risk = 1 WHERE id = ?').run(edgeItem().id),
  ],
  [
    'a breach recorded late',
    () =>
      store.db
        .prepare(
          `INSERT INTO feedback_escalations (item_id, department_id, escalation_key, kind, level, due_at, sent_at)
           VALUES (?, 'billing', 'late', 'resolve', 'leads', ?, ?)`,
        )
        .run(edgeItem().id, edgeItem().at + HOUR, NOW - HOUR),
  ],
  [
    'the customer lost',
    () =>
      store.db
        .prepare(
          `INSERT INTO customer_follow_ups (item_id, resolved_at, customer_id, reporter_id, created_at, outcome)
           VALUES (?, ?, 1, 'U1', ?, 'lost')`,
        )
        .run(edgeItem().id, NOW - HOUR, NOW - HOUR),
  ],
  [
    'regrouped',
    () => store.db.prepare('UPDATE feedback_items SET theme_id = 3 WHERE id = ?').run(edgeItem().id),
  ],
  [
    'the customer erased',
    () =>
      store.db
        .prepare('UPDATE feedback_items SET customer_id = NULL WHERE customer_id = 1 AND id <> ?')
        .run(edgeItem().id),
  ],
  [
    'reassigned',
    () =>
      store.db
        .prepare(`UPDATE feedback_items SET department_id = 'shipping' WHERE id = ?`)
        .run(edgeItem().id),
  ],
];

it('reads a kept edge again after each change impact reads, and not otherwise', () => {
  const { db } = store;
  const kept = createKeptThemedItems(() => NOW - 60_000);
  const sums = (department: string, read?: typeof kept) =>
    themeSums(db, { departments: [department] }, RANGE, NOW, read);
  const itemReads = (run: () => void) =>
    statementsOf(db, run).filter((sql) => /EXISTS \(SELECT 1 FROM feedback_items p/.test(sql)).length;
  for (const d of DEPARTMENTS) expect(sums(d, kept)).toEqual(sums(d));
  // Kept: the edge is not read again while nothing changed.
  const again = itemReads(() => sums('billing', kept));
  expect(again).toBe(itemReads(() => sums('billing')) - 1);
  for (const [what, change] of CHANGES) {
    change();
    for (const d of DEPARTMENTS) expect(sums(d, kept), what).toEqual(sums(d));
  }
});
