import { afterEach, beforeEach, expect, it } from 'vitest';
import { queueThemeSpikes } from '../../src/themes/spikes.js';
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
  // Before the event loop turns, only the first slice was counted: 5 buckets, before a bucket's cost is known
  // (the next slices are sized to take about 10 ms each, at most 50 buckets).
  expect(marked()).toBe(225);
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
  expect(marked()).toBe(15); // the first slice only
  requests = 0;
  expect(await running).toBe(20);
  expect(marked()).toBe(0);
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
