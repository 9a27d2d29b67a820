import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Manager } from '../../src/config/org-schema.js';
import {
  composeDigest,
  createDigestNumbers,
  type DigestNumbers,
  THEME_RUN_MS,
} from '../../src/digest/compose.js';
import { createFeedbackService, type FeedbackService } from '../../src/feedback/service.js';
import { outcomeReportByDepartment } from '../../src/metrics/outcome-report.js';
import { createTheme, setItemTheme } from '../../src/themes/theme-repo.js';
import { refreshSomeThemeTotals } from '../../src/themes/theme-totals.js';
import { topThemes } from '../../src/themes/top-themes.js';
import { weeksEndingAt } from '../../src/time/local-time.js';
import { newFeedback, orgConfig } from '../support/org-fixture.js';
import { executionsOf } from '../support/statements.js';
import { manualClock, silentLogger, tempDatabase } from '../support/temp-dir.js';

/**
 * The digests' "top themes by impact" lead (issue 17) within issue 13's budget: a run of digests counts each
 * department's theme sums once per period and every manager adds up their own departments, with the ranking the
 * scope's own count gives.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const END = Date.parse('2026-11-23T08:00:00Z'); // Monday 09:00 Berlin
const PERIOD = { start: END - 7 * DAY, end: END };
const PREVIOUS = { start: END - 14 * DAY, end: END - 7 * DAY };
const WEEKS = weeksEndingAt(END, 'Europe/Berlin', 8);
const config = orgConfig();
const clock = manualClock(END - 20 * DAY);

let store: ReturnType<typeof tempDatabase>;
let feedback: FeedbackService;
beforeEach(() => {
  store = tempDatabase();
  feedback = createFeedbackService({ db: store.db, clock, config: () => config, logger: silentLogger });
  seed();
});
afterEach(() => store.remove());

function file(
  at: number,
  departmentId: string,
  theme: number,
  severity: 'normal' | 'high' = 'normal',
): number {
  clock.set(at);
  const { item } = feedback.submit(newFeedback({ summary: 'the invoice', departmentId, severity }));
  setItemTheme(store.db, item.id, theme, at);
  return item.id;
}

/** Four themes across three departments, some items of the week before, one filed an hour before the end. */
function seed() {
  const [a, b, c, d] = ['invoice', 'parcel', 'login', 'refund'].map((term) =>
    createTheme(store.db, [term], END - 20 * DAY),
  ) as [number, number, number, number];
  file(PERIOD.start + 2 * HOUR, 'billing', a, 'high');
  file(PERIOD.start + DAY, 'billing', a);
  file(PERIOD.start + 2 * DAY, 'billing', d);
  file(PERIOD.start + 3 * DAY, 'shipping', b, 'high');
  file(PERIOD.start + 4 * DAY + 5 * HOUR, 'shipping', a);
  file(END - HOUR, 'shipping', b);
  file(PERIOD.start + 5 * DAY, 'product', c);
  file(PERIOD.start + 6 * DAY, 'product', c, 'high');
  file(PERIOD.start + 6 * DAY, 'product', a);
  file(PREVIOUS.start + DAY, 'billing', a);
  file(PREVIOUS.start + 2 * DAY, 'product', c);
  clock.set(END + 1);
}

const MANAGERS: Manager[] = [
  ['billing'],
  ['billing', 'shipping'],
  ['shipping', 'product'],
  ['billing', 'shipping', 'product'],
  ['product'],
].map((departments, i) => ({ user: `U0MGR0000${i}`, departments, timezone: 'Europe/Berlin' }));

/** What every digest of the run shares: its week, the week before, the trend weeks. */
const WEEK_OF_RUN = {
  period: PERIOD,
  previousPeriod: PREVIOUS,
  trendWeeks: WEEKS,
  people: [],
  unrecognisedWeeks: 4,
  atRiskDays: 30,
};

function digestsOf(numbers: DigestNumbers) {
  return MANAGERS.map((manager) => {
    const departments = config.departments.filter((d) => manager.departments.includes(d.id));
    return composeDigest({ ...WEEK_OF_RUN, db: store.db, numbers, manager, departments });
  });
}

const RANGES = [...WEEKS, PREVIOUS];

/** The theme lead's reads (totals, marks, themed items), with what each was asked; not a theme's name. */
const themeReads = (all: { sql: string; args: unknown[] }[]) =>
  all.filter(
    (e) =>
      /theme_/.test(e.sql) &&
      !/FROM themes WHERE id = \?/.test(e.sql) &&
      // The days read in part are kept per database until they change (themed-days.ts), whoever reads them.
      !/theme_day_changes|WHERE theme_id IS NOT NULL AND created_at >= \?/.test(e.sql),
  );
/** Of those, the theme sums' reads of the running totals (theme-totals.ts totalsOf). */
const totalsReads = (all: { sql: string; args: unknown[] }[]) =>
  all.filter((e) => /FROM theme_(day|week)_totals[\s\S]*GROUP BY theme_id\s*$/.test(e.sql));

it('leads each digest with the top themes of its departments, as counting them together ranks them', async () => {
  const numbers = createDigestNumbers({
    db: store.db,
    departmentIds: () => config.departments.map((d) => d.id),
    now: () => END + 1,
  });
  const digests = digestsOf(numbers);
  for (const [i, digest] of digests.entries()) {
    const own = topThemes(store.db, {
      scope: { departments: MANAGERS[i]?.departments ?? [] },
      period: PERIOD,
      previous: PREVIOUS,
      weeks: WEEKS,
      now: PERIOD.end,
      limit: 3,
      examples: 0,
    });
    expect(digest.topThemes).toEqual(own);
  }
  expect(digests[3]?.topThemes.map((t) => [t.name, t.count])).toEqual([
    ['invoice', 4],
    ['parcel', 2],
    ['login', 2],
  ]);
  expect(digests[3]?.topThemes[0]?.previousCount).toBe(1);
});

it('counts each department once for a run of digests, however many managers see it', async () => {
  const departmentIds = config.departments.map((d) => d.id);
  let now = END + 1;
  const run = () => createDigestNumbers({ db: store.db, departmentIds: () => departmentIds, now: () => now });
  refreshSomeThemeTotals(store.db, 1000); // the minute tick's work, so each reading below reads the same
  // What counting every department once costs: one manager of one department (the first digest of a run).
  const once = themeReads(
    await executionsOf(store.db, async () => run().themes(['billing'], PERIOD, RANGES)),
  );
  // Each department's sums read once, each read for that one department only.
  const sums = totalsReads(once);
  expect(sums.length).toBeGreaterThan(0);
  for (const id of departmentIds)
    expect(sums.filter((read) => read.args.includes(id)).length).toBe(sums.length / departmentIds.length);
  for (const read of sums)
    expect(read.args.filter((a) => departmentIds.includes(a as string))).toHaveLength(1);

  // Five managers, nine department views: the same reads as one, not one set per manager.
  const numbers = run();
  expect(themeReads(await executionsOf(store.db, async () => digestsOf(numbers)))).toEqual(once);
  // The rest of the run's digests of that week read nothing of the themes again.
  expect(themeReads(await executionsOf(store.db, async () => digestsOf(numbers)))).toEqual([]);
  // A digest of that week composed after the run (a regroup since would show) counts again, once.
  now += THEME_RUN_MS;
  expect(themeReads(await executionsOf(store.db, async () => digestsOf(numbers)))).toEqual(once);
});

it("counts the departments' outcomes once per run too, each digest adding up its own", async () => {
  const departmentIds = config.departments.map((d) => d.id);
  const numbers = createDigestNumbers({
    db: store.db,
    departmentIds: () => departmentIds,
    now: () => END + 1,
  });
  const outcomeReads = (all: { sql: string }[]) =>
    all.filter((e) => /FROM customer_follow_ups[\s\S]*GROUP BY department_id, outcome, reason/.test(e.sql));
  let digests: ReturnType<typeof digestsOf> = [];
  const reads = outcomeReads(await executionsOf(store.db, async () => (digests = digestsOf(numbers))));
  // The week and the week before, for every department at once: not once per manager.
  expect(reads).toHaveLength(2);
  for (const [i, digest] of digests.entries())
    expect(digest.outcomes).toEqual(
      outcomeReportByDepartment(store.db, MANAGERS[i]?.departments ?? [], PERIOD),
    );
  expect(outcomeReads(await executionsOf(store.db, async () => digestsOf(numbers)))).toEqual([]);
});
