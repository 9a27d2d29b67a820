import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertEscalation } from '../../src/feedback/escalation-repo.js';
import { applyStatusChange, getFeedbackItem } from '../../src/feedback/repo.js';
import { createFeedbackService, type FeedbackService } from '../../src/feedback/service.js';
import type { Db } from '../../src/store/db.js';
import { CUSTOMER_LOST_POINTS, itemImpact } from '../../src/themes/impact.js';
import { themedItems } from '../../src/themes/theme-items.js';
import { DAY_MS } from '../../src/themes/theme-pieces.js';
import { createTheme, resolveTheme, setItemTheme } from '../../src/themes/theme-repo.js';
import { loadThemeModel, themeItemsIn } from '../../src/themes/theme-store.js';
import { refreshSomeThemeTotals, themeSums } from '../../src/themes/theme-totals.js';
import { topThemes } from '../../src/themes/top-themes.js';
import { newFeedback, orgConfig } from '../support/org-fixture.js';
import { queryPlanOf, statementsOf } from '../support/statements.js';
import { manualClock, silentLogger, tempDatabase } from '../support/temp-dir.js';

/**
 * The theme read model: top themes by impact, from running totals that triggers keep with every change, checked
 * against counts made by hand and against summing every item one by one; and its queries are index searches.
 */

let store: ReturnType<typeof tempDatabase>;
let feedback: FeedbackService;
const clock = manualClock(Date.parse('2026-11-23T09:00:00Z'));
const NOW = Date.parse('2026-11-23T09:00:00Z');
const at = (iso: string) => Date.parse(iso);

beforeEach(() => {
  store = tempDatabase();
  const config = orgConfig();
  feedback = createFeedbackService({ db: store.db, clock, config: () => config, logger: silentLogger });
});
afterEach(() => store.remove());

function file(
  iso: string,
  theme: number,
  options: { department?: string; severity?: 'low' | 'normal' | 'high' | 'urgent'; customer?: string } = {},
): number {
  clock.set(at(iso));
  const { item } = feedback.submit(
    newFeedback({
      summary: 'the invoice',
      departmentId: options.department ?? 'billing',
      severity: options.severity ?? 'normal',
      customer: options.customer,
    }),
  );
  setItemTheme(store.db, item.id, theme, clock.now());
  return item.id;
}

function change(
  id: number,
  toStatus: 'resolved' | 'acknowledged' | 'new',
  iso: string,
  departmentId?: string,
) {
  const item = getFeedbackItem(store.db, id);
  if (!item) throw new Error('no item');
  applyStatusChange(store.db, {
    id,
    expectedVersion: item.version,
    expectedStatus: item.status,
    toStatus,
    now: at(iso),
    departmentId,
    resolutionNote: toStatus === 'resolved' ? 'done' : undefined,
  });
}

function breach(id: number, key: string) {
  insertEscalation(store.db, {
    itemId: id,
    departmentId: 'billing',
    key,
    kind: 'acknowledge',
    level: 'leads',
    dueAt: NOW - 1,
    now: NOW,
  });
}

const month = { start: at('2026-11-01T00:00:00Z'), end: NOW };
const week = { start: at('2026-11-23T00:00:00Z'), end: NOW };
const weeks = [
  { start: at('2026-11-09T00:00:00Z'), end: at('2026-11-16T00:00:00Z') },
  { start: at('2026-11-16T00:00:00Z'), end: at('2026-11-23T00:00:00Z') },
  week,
];

/** Two billing themes counted by hand (see each line), and one shipping item of the first. */
function handCountedFixture(db: Db) {
  const a = createTheme(db, ['invoice', 'charge', 'twice', 'card'], NOW);
  const b = createTheme(db, ['refund', 'late'], NOW);
  const i1 = file('2026-11-16T09:00:00Z', a); // normal, resolved after 7 days: 2 × 2 = 4
  change(i1, 'resolved', '2026-11-23T09:00:00Z');
  file('2026-11-23T08:30:00Z', a, { severity: 'urgent' }); // urgent, open half an hour: 8 × (1 + 0.5/168)
  file('2026-11-02T09:00:00Z', a, { severity: 'low' }); // low, open 21 days (capped at 3): 1 × 3 = 3
  const i4 = file('2026-11-20T09:00:00Z', b, { severity: 'high' }); // high, open 3 days, 1 breach: 4 × 1.5 × (1 + 3/7)
  breach(i4, 'k4');
  const i5 = file('2026-11-22T09:00:00Z', b, { customer: 'ACME' }); // first of ACME, resolved at once: 2
  change(i5, 'resolved', '2026-11-22T09:00:00Z');
  const i6 = file('2026-11-22T10:00:00Z', b, { customer: 'ACME' }); // repeat and at risk: 2 × 1.25 × 1.5
  change(i6, 'resolved', '2026-11-22T10:00:00Z');
  db.prepare('UPDATE feedback_items SET customer_at_risk = 1 WHERE id = ?').run(i6);
  file('2026-11-23T08:00:00Z', a, { department: 'shipping' }); // shipping, open 1 hour: 2 × (1 + 1/168)
  return { a, b };
}

describe('top themes', () => {
  it('ranks by impact, counted by hand, with trend, weekly counts and examples', () => {
    const { a, b } = handCountedFixture(store.db);
    const billing = { departments: ['billing'] };
    const previous = { start: at('2026-10-01T00:00:00Z'), end: at('2026-10-23T09:00:00Z') };
    const top = topThemes(store.db, {
      scope: billing,
      period: month,
      previous,
      weeks,
      now: NOW,
      limit: 5,
      examples: 2,
    });
    expect(top.map((t) => [t.reference, t.count, t.impact])).toEqual([
      [`TH-${a}`, 3, 15],
      [`TH-${b}`, 3, 14.3], // 8.571 + 2 + 3.75
    ]);
    expect(top[0]).toMatchObject({ name: 'invoice, charge, twice', previousCount: 0, weekly: [0, 1, 1] });
    expect(top[0]?.examples).toHaveLength(2);
    expect(top[1]?.weekly).toEqual([0, 3, 0]);

    const company = topThemes(store.db, {
      scope: 'company',
      period: month,
      previous,
      weeks,
      now: NOW,
      limit: 1,
      examples: 0,
    });
    expect(company.map((t) => [t.count, t.impact])).toEqual([[4, 17]]); // + 2.0119 from shipping
    const thisWeek = topThemes(store.db, {
      scope: billing,
      period: week,
      previous: month,
      weeks,
      now: NOW,
      limit: 5,
      examples: 1,
    });
    expect(thisWeek.map((t) => [t.id, t.count, t.impact, t.previousCount])).toEqual([[a, 1, 8, 3]]);
  });

  it('follows an item reassigned or moved to another theme at once (triggers mark it in the same transaction)', () => {
    const { a, b } = handCountedFixture(store.db);
    const billing = { departments: ['billing'] };
    const sums = () =>
      Object.fromEntries([...themeSums(store.db, billing, month, NOW)].map(([id, s]) => [id, s.count]));
    expect(sums()).toEqual({ [a]: 3, [b]: 3 });
    const urgent = store.db
      .prepare("SELECT id FROM feedback_items WHERE severity = 'urgent'")
      .pluck()
      .get() as number;
    change(urgent, 'new', '2026-11-23T09:00:00Z', 'shipping');
    expect(sums()).toEqual({ [a]: 2, [b]: 3 });
    setItemTheme(store.db, urgent, b, NOW);
    expect(themeSums(store.db, 'company', month, NOW).get(b)?.count).toBe(4);
    expect(themeSums(store.db, billing, month, NOW).get(b)?.count).toBe(3);
  });
});

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number) {
  let t = seed;
  return () => {
    t = (t + 0x6d2b79f5) | 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const RANDOM_START = at('2026-10-20T00:00:00Z');

/** 150 items filed, breached and resolved at random over five weeks in three themes, counted now and then. */
function randomItems(next: () => number): number[] {
  const themes = [1, 2, 3].map(() => createTheme(store.db, ['t'], NOW));
  const departments = ['billing', 'shipping', 'product'];
  const severities = ['low', 'normal', 'high', 'urgent'] as const;
  for (let i = 0; i < 150; i += 1) {
    const filed = RANDOM_START + Math.floor(next() * 34 * DAY_MS);
    const id = file(new Date(filed).toISOString(), themes[Math.floor(next() * 3)] as number, {
      department: departments[Math.floor(next() * 3)] as string,
      severity: severities[Math.floor(next() * 4)] as (typeof severities)[number],
      customer: `c${Math.floor(next() * 30)}`,
    });
    if (next() < 0.3) breach(id, `b${i}`);
    if (next() < 0.5)
      change(id, 'resolved', new Date(filed + Math.floor(next() * 20 * DAY_MS)).toISOString());
    // Counted now and then, so later changes move rows counted before (the week rows by difference).
    if (i % 40 === 39) refreshSomeThemeTotals(store.db, 10_000);
  }
  refreshSomeThemeTotals(store.db, 10_000);
  return themes;
}

/** The running totals give what summing every item one by one gives, over random ranges and moments. */
function expectTotalsMatchItems(next: () => number) {
  for (let k = 0; k < 25; k += 1) {
    const from = RANDOM_START + Math.floor(next() * 30 * DAY_MS);
    const range = { start: from, end: from + Math.floor(next() * 20 * DAY_MS) };
    const now = range.end + Math.floor(next() * 10 * DAY_MS);
    for (const scope of ['company', { departments: ['billing', 'product'] }] as const) {
      const expected = new Map<number, { count: number; impact: number }>();
      for (const item of themedItems(store.db, scope, range.start, range.end)) {
        const e = expected.get(item.themeId) ?? { count: 0, impact: 0 };
        expected.set(item.themeId, { count: e.count + 1, impact: e.impact + itemImpact(item, now) });
      }
      const got = themeSums(store.db, scope, range, now);
      expect(new Set(got.keys())).toEqual(new Set(expected.keys()));
      for (const [id, e] of expected) {
        expect(got.get(id)?.count).toBe(e.count);
        expect(got.get(id)?.impact).toBeCloseTo(e.impact, 6);
      }
    }
  }
}

it('gives what summing every item one by one gives, over any range and any moment (partial days included)', () => {
  const next = random(17);
  randomItems(next);
  expectTotalsMatchItems(next);
});

it("stays right through the write side's regroup: items moved one by one, a theme merged into another", () => {
  const next = random(23);
  const [a, b, c] = randomItems(next) as [number, number, number];
  // The regroup's own writes to the database (src/themes/theme-store.ts), as a pass applies them.
  const items = themeItemsIn(store.db, loadThemeModel(store.db), () => NOW);
  const ofA = store.db.prepare('SELECT id FROM feedback_items WHERE theme_id = ?').pluck().all(a) as number[];
  for (const id of ofA.slice(0, 10)) items.move({ id, themeId: a, terms: [] }, c);
  const split = c + 100; // a theme the regroup makes for items that left theirs (above every id so far)
  for (const id of ofA.slice(10, 15)) items.move({ id, themeId: a, terms: [] }, split);
  refreshSomeThemeTotals(store.db, 10_000);
  items.merged(b, a);
  while (items.follow(b, a, 7) > 0) refreshSomeThemeTotals(store.db, 3); // counted between slices too
  expect(store.db.prepare('SELECT count(*) FROM feedback_items WHERE theme_id = ?').pluck().get(b)).toBe(0);
  expect(resolveTheme(store.db, b)?.id).toBe(a); // TH-b still leads somewhere: to the theme it joined
  expectTotalsMatchItems(next);
  expect(themeSums(store.db, 'company', { start: RANDOM_START, end: NOW }, NOW).has(b)).toBe(false);
});

it('counts a lost customer (a follow-up answered Left) in the impact of all their items, and stops when it is undone', () => {
  const next = random(31);
  randomItems(next);
  const span = { start: RANDOM_START, end: NOW };
  const total = () =>
    [...themeSums(store.db, 'company', span, NOW).values()].reduce((t, s) => t + s.impact, 0);
  const before = total();
  // The outcome loop records a follow-up of one resolved item of customer c7 as Left.
  const item = store.db
    .prepare(
      `SELECT f.id, f.resolved_at, f.customer_id FROM feedback_items f JOIN customers c ON c.id = f.customer_id
       WHERE c.identifier = 'c7' AND f.status = 'resolved' LIMIT 1`,
    )
    .get() as { id: number; resolved_at: number; customer_id: number };
  const ofC7 = store.db
    .prepare('SELECT count(*) FROM feedback_items WHERE customer_id = ? AND created_at < ?')
    .pluck()
    .get(item.customer_id, NOW) as number;
  expect(ofC7).toBeGreaterThan(1);
  store.db
    .prepare(
      `INSERT INTO customer_follow_ups (item_id, resolved_at, customer_id, reporter_id, created_at, outcome)
       VALUES (?, ?, ?, 'U1', ?, 'lost')`,
    )
    .run(item.id, item.resolved_at, item.customer_id, NOW);
  expect(total()).toBeCloseTo(before + ofC7 * CUSTOMER_LOST_POINTS, 6);
  expectTotalsMatchItems(next);
  store.db.prepare("UPDATE customer_follow_ups SET outcome = 'kept' WHERE item_id = ?").run(item.id);
  expect(total()).toBeCloseTo(before, 6);
});

it('reads the top themes through indexes only: no query scans a table', () => {
  const { a } = handCountedFixture(store.db);
  const partial = { start: at('2026-10-01T07:00:00Z'), end: at('2026-11-23T08:30:00Z') };
  const queries = new Set(
    statementsOf(store.db, () => {
      for (const scope of ['company', { departments: ['billing', 'shipping'] }] as const) {
        setItemTheme(store.db, 1, a, NOW); // a marked bucket is counted again on read
        topThemes(store.db, {
          scope,
          period: partial,
          previous: month,
          weeks,
          now: NOW,
          limit: 3,
          examples: 2,
        });
      }
    }),
  );
  const reads = [...queries].filter((sql) => /^\s*SELECT/i.test(sql));
  expect(reads.length).toBeGreaterThan(6);
  for (const sql of reads) {
    const plan = queryPlanOf(store.db, sql);
    expect(
      plan.filter((line) => /^SCAN /.test(line)),
      sql,
    ).toEqual([]);
  }
});
