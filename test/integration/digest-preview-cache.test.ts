import { afterEach, beforeEach, expect, it } from 'vitest';
import type { OrgConfig } from '../../src/config/org-schema.js';
import { createDigestService, type DigestService } from '../../src/digest/service.js';
import type { Db } from '../../src/store/db.js';
import { orgConfig } from '../support/org-fixture.js';
import { executionsOf } from '../support/statements.js';
import { manualClock, silentLogger, tempDatabase } from '../support/temp-dir.js';

/**
 * `/loop digest` over a year of data (issue 14: 200 ms and more, every call recounting all departments and
 * eight closed weeks). A preview counts only its manager's departments and only the week so far; the closed
 * weeks are counted once and kept apart from the scheduled digests' weeks. The week so far and the same time
 * before it are counted in pieces: closed hours and days once, then only what is not a whole closed hour.
 */

const BILLING_MANAGER = 'U0BILMGR01';
const WEEK = 7 * 24 * 3_600_000;
let store: ReturnType<typeof tempDatabase>;
let config: OrgConfig;
let digests: DigestService;
const clock = manualClock(Date.parse('2026-11-25T12:00:00Z')); // a Wednesday: the week so far is open

beforeEach(() => {
  store = tempDatabase();
  config = orgConfig({ managers: [{ user: BILLING_MANAGER, departments: ['billing'], timezone: 'UTC' }] });
  digests = createDigestService({
    db: store.db,
    clock,
    config: () => config,
    logger: silentLogger,
    groupMembers: async () => new Set<string>(),
  });
});
afterEach(() => store.remove());

/**
 * Every set of values bound to a counting statement while `run` runs (what each query was asked about), with
 * the statement's SQL last. The
 * cache's own question "did anything in this closed week change since?" (two LIMIT 1 index probes) is left out.
 */
async function boundValuesOf(db: Db, run: () => Promise<unknown>): Promise<unknown[][]> {
  const probe = (sql: string) =>
    sql.includes('LIMIT 1') &&
    /revoked_at >= \?|sent_at >= \?|feedback_events_item_moves|customer_erasures/.test(sql);
  return (await executionsOf(db, run)).filter((e) => !probe(e.sql)).map((e) => [...e.args, e.sql]);
}

it("counts only the manager's departments, and the closed weeks once", async () => {
  const first = await boundValuesOf(store.db, () => digests.preview(BILLING_MANAGER));
  const departmentsAsked = new Set(
    first.flat().filter((v) => typeof v === 'string' && config.departments.some((d) => d.id === v)),
  );
  expect([...departmentsAsked]).toEqual(['billing']);

  // A minute later: only the week so far (and the same time just before it) is counted again. Not one query is
  // about a closed week of the trend, such as the one that ended two weeks before this one began.
  clock.set(clock.now() + 60_000);
  const preview = await digests.preview(BILLING_MANAGER);
  if (preview.kind !== 'digest') throw new Error(preview.kind);
  const closedWeek = preview.digest.trend.weeks.at(-3);
  if (!closedWeek) throw new Error('no trend');
  expect(closedWeek.end).toBeLessThanOrEqual(preview.digest.period.start - WEEK);
  clock.set(clock.now() + 60_000);
  const second = await boundValuesOf(store.db, () => digests.preview(BILLING_MANAGER));
  expect(second.length).toBeGreaterThan(0);
  expect(second.filter((values) => values.includes(closedWeek.start))).toEqual([]);
  expect(first.filter((values) => values.includes(closedWeek.start)).length).toBeGreaterThan(0);
  // And the week so far is counted once per preview, however many figures (each department's, the total) use it.
  const asked = second.map((values) => JSON.stringify(values));
  expect(asked.filter((q, i) => asked.indexOf(q) !== i)).toEqual([]);
});

it('counts again, minutes later, only the hour under way and the start of the time before the week', async () => {
  await digests.preview(BILLING_MANAGER);
  clock.set(clock.now() + 20 * 60_000);
  const now = clock.now();
  const later = await boundValuesOf(store.db, () => digests.preview(BILLING_MANAGER));
  // Counted over the whole week at each preview, from their own covering indexes (a few rows per answer): the
  // survey answers and follow-up outcomes of the week and the week before. The themes lead reads its running
  // totals and only the partly covered days' items (closed days kept: digest-pieces.test.ts).
  const whole =
    /FROM survey_requests|FROM customer_follow_ups|feedback_items_contacted|theme_|f\.theme_id|^SELECT (department_id, )?COUNT\(\*\) FROM feedback_items\s/;
  const pieced = later.filter((values) => !whole.test(String(values.at(-1))));
  expect(pieced.length).toBeGreaterThan(10);
  // The time ranges the counting statements were asked about (a statement bound to a from and a to; items open
  // at a time are asked with that time twice).
  const ranges = new Set(
    pieced
      .map((values) => values.filter((v): v is number => typeof v === 'number' && v > 1e12))
      .filter((times) => times.length >= 2)
      .map((times) => `${Math.min(...times)}-${Math.max(...times)}`),
  );
  const spans = [...ranges]
    .map((r) => r.split('-').map(Number) as [number, number])
    .filter(([from, to]) => from < to);
  // The hour under way (12:00 to now) and the start of the same time before the week, up to its first whole hour.
  expect(spans).toHaveLength(2);
  expect(spans).toContainEqual([now - (now % 3_600_000), now]);
  for (const [from, to] of spans) expect(to - from).toBeLessThanOrEqual(3_600_000);
  // Items open at the end of the week so far are counted for now (nothing else is asked about a single time).
  expect(later.filter((values) => values.includes(now)).length).toBeGreaterThan(0);
});
