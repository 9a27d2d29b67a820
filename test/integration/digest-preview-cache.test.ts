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
 * weeks are counted once and kept apart from the scheduled digests' weeks.
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
  const probe = (sql: string) => sql.includes('LIMIT 1') && /revoked_at >= \?|sent_at >= \?/.test(sql);
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
