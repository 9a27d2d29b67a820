import { afterEach, beforeEach, expect, it } from 'vitest';
import { FILED_SINCE_SQL, queueThemeSpikes } from '../../src/themes/spikes.js';
import { DAY_MS } from '../../src/themes/theme-pieces.js';
import { createTheme } from '../../src/themes/theme-repo.js';
import { themeSums } from '../../src/themes/theme-totals.js';
import { refreshThemeTotalsInSlices } from '../../src/themes/totals-upkeep.js';
import { orgConfig } from '../support/org-fixture.js';
import { executionsOf } from '../support/statements.js';
import { tempDatabase } from '../support/temp-dir.js';

/**
 * The minute tick's theme work at a year of data (issue 14: no tick may pause the app over 50 ms). It counts marked
 * running-total buckets again in slices and gives the event loop back between them (500 buckets after a regroup
 * held the app 120-140 ms), and its look for spikes reads each partly covered day once for every department (the
 * first look after a start read them per department: 1.2 s for 20 departments).
 */

const NOW = Date.parse('2026-11-25T12:00:00Z');
let store: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  store = tempDatabase();
});
afterEach(() => store.remove());

const marked = () => store.db.prepare('SELECT COUNT(*) FROM theme_totals_dirty').pluck().get() as number;

/** Themed items on `days` different days: each marks its own bucket. */
function fileOnDays(days: number): void {
  const theme = createTheme(store.db, ['invoice'], NOW);
  const insert = store.db.prepare(
    `INSERT INTO feedback_items (idempotency_key, team_id, reporter_id, source, kind, severity, summary,
       department_id, status, created_at, updated_at, theme_id)
     VALUES (?, 'T1', 'U1', 'command', 'complaint', 'normal', 's', 'billing', 'new', ?, ?, ?)`,
  );
  for (let d = 0; d < days; d += 1)
    insert.run(`k${d}`, NOW - (d + 1) * DAY_MS, NOW - (d + 1) * DAY_MS, theme);
}

it('counts one slice, then lets other work run before the next', async () => {
  fileOnDays(230);
  expect(marked()).toBe(230);
  let otherWorkRan = false;
  setImmediate(() => {
    otherWorkRan = true;
  });
  const running = refreshThemeTotalsInSlices(store.db, { total: 200, slice: 50 });
  // Before the event loop turns, only the first slice was counted: one bucket, before a bucket's cost is known
  // (one may hold a busy department's whole day; the next slices are sized to take about 10 ms each, at most 50).
  expect(marked()).toBe(229);
  expect(otherWorkRan).toBe(false);
  expect(await running).toBe(200);
  expect(otherWorkRan).toBe(true);
  // At most `total` per tick; the rest waits for the next one.
  expect(marked()).toBe(30);
  expect(await refreshThemeTotalsInSlices(store.db, { total: 200, slice: 50 })).toBe(30);
  expect(marked()).toBe(0);
  const sums = themeSums(
    store.db,
    { departments: ['billing'] },
    { start: NOW - 300 * DAY_MS, end: NOW },
    NOW,
  );
  expect([...sums.values()].reduce((n, s) => n + s.count, 0)).toBe(230);
});

it('waits while a Slack request is being answered, and goes on once none is', async () => {
  fileOnDays(20);
  let requests = 1;
  const running = refreshThemeTotalsInSlices(store.db, {
    total: 200,
    slice: 50,
    requestsInFlight: () => requests,
  });
  await new Promise((resolve) => setTimeout(resolve, 30));
  expect(marked()).toBe(19); // the first slice only
  requests = 0;
  expect(await running).toBe(20);
  expect(marked()).toBe(0);
});

it('counts the marked buckets a spike look reads in steps, the event loop given back between them', async () => {
  // After a regroup moved items across themes, the look itself counted a department's marked buckets in one go
  // (79 ms for one department the minute after start, at a year of data).
  fileOnDays(230);
  let otherWorkRan = false;
  setImmediate(() => {
    otherWorkRan = true;
  });
  const looking = queueThemeSpikes(store.db, orgConfig().departments, NOW, { last: undefined });
  // Before the event loop turns: one step of the ~58 days the look reads (this week and the eight before).
  expect(marked()).toBe(230 - 50);
  expect(otherWorkRan).toBe(false);
  await looking;
  expect(otherWorkRan).toBe(true);
  // Every day it read was counted first; older days are left to the totals' upkeep.
  const markedSince = (day: number) =>
    store.db.prepare('SELECT COUNT(*) FROM theme_totals_dirty WHERE day >= ?').pluck().get(day) as number;
  expect(markedSince(Math.floor((NOW - 8 * 7 * DAY_MS) / DAY_MS))).toBe(0);
  expect(marked()).toBeGreaterThan(230 - 70);
  expect(marked()).toBeLessThan(230 - 50);
});

it("looks for spikes one department at a time, reading each partly covered day's items once", async () => {
  const config = orgConfig({ timezone: 'Asia/Kolkata' }); // weeks from local midnights: UTC days cut in two
  const theme = createTheme(store.db, ['invoice'], NOW);
  const insert = store.db.prepare(
    `INSERT INTO feedback_items (idempotency_key, team_id, reporter_id, source, kind, severity, summary,
       department_id, status, created_at, updated_at, theme_id)
     VALUES (?, 'T1', 'U1', 'command', 'complaint', 'normal', 's', ?, 'new', ?, ?, ?)`,
  );
  let n = 0;
  for (const department of config.departments) {
    // Enough this week to be looked at, and a history over the eight weeks before.
    for (let i = 0; i < 6; i += 1) insert.run(`k${n++}`, department.id, NOW - i * 3_600_000, NOW, theme);
    for (let d = 8; d < 60; d += 3) insert.run(`k${n++}`, department.id, NOW - d * DAY_MS, NOW, theme);
  }
  // Other work gets its turn between departments.
  const order: string[] = [];
  setImmediate(() => order.push('other work'));
  const runs = await executionsOf(store.db, async () => {
    const looking = queueThemeSpikes(store.db, config.departments, NOW, { last: undefined });
    order.push('first department looked at');
    await looking;
  });
  expect(order).toEqual(['first department looked at', 'other work']);
  const looked = new Set(runs.flatMap((r) => r.args.filter((a) => typeof a === 'string')));
  for (const d of config.departments) expect(looked.has(d.id)).toBe(true);
  const dayReads = runs.filter((r) => /SELECT theme_id, created_at, COALESCE\(department_id/.test(r.sql));
  const days = dayReads.map((r) => r.args.filter((a) => typeof a === 'number' && a > 1e12).join('-'));
  expect(days.length).toBeGreaterThan(3);
  expect(new Set(days).size).toBe(days.length);
});

it('finds the departments of items filed since the last look along the primary key, not a whole index', () => {
  // For the DISTINCT, SQLite walked the whole department index: 33-205 ms at a year of data, every minute with news.
  const plan = store.db
    .prepare(`EXPLAIN QUERY PLAN ${FILED_SINCE_SQL}`)
    .all(1)
    .map((r) => (r as { detail: string }).detail);
  expect(plan.join('; ')).toMatch(/SEARCH feedback_items USING INTEGER PRIMARY KEY \(rowid>\?\)/);
  expect(plan.join('; ')).not.toMatch(/INDEX/);
});
