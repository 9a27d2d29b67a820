import { afterAll, beforeAll, expect, it } from 'vitest';
import { DAY, seedYear } from '../../scripts/bench/seed-year.js';
import type { Department, Manager } from '../../src/config/org-schema.js';
import {
  type ComposeInput,
  composeDigest,
  createDigestNumbers,
  type DigestRun,
} from '../../src/digest/compose.js';
import { departmentWeeks } from '../../src/digest/department-week.js';
import { createSlicer } from '../../src/jobs/slicer.js';
import { weeksEndingAt } from '../../src/time/local-time.js';
import { countLoopTurns } from '../support/loop-turns.js';
import { orgConfig } from '../support/org-fixture.js';
import { watchStatements } from '../support/statements.js';
import { tempDatabase } from '../support/temp-dir.js';

/**
 * The weekly digest run counts what its digests share (every department's week, the week before, the trend, the
 * themes, the outcomes) one department at a time, in slices with the event loop free between them, before its
 * first digest is composed (issue 14: counted in one go, the first digest held the app ~340 ms at 1M items).
 * What it keeps must be exactly what the one-go count gives.
 */

const END = Date.parse('2026-11-23T08:00:00Z'); // Monday 09:00 Berlin: a digest's scheduled time
const config = orgConfig({
  managers: [
    { user: 'U0MGRALL01', departments: 'all', timezone: 'Europe/Berlin' },
    { user: 'U0MGRTWO01', departments: ['billing', 'shipping'], timezone: 'Europe/Berlin' },
    { user: 'U0MGRONE01', departments: ['product'], timezone: 'Europe/Berlin' },
  ],
});
const ids = config.departments.map((d) => d.id);
const run: DigestRun = {
  period: { start: END - 7 * DAY, end: END },
  previousPeriod: { start: END - 14 * DAY, end: END - 7 * DAY },
  trendWeeks: weeksEndingAt(END, 'Europe/Berlin', 8),
};

let store: ReturnType<typeof tempDatabase>;
beforeAll(() => {
  store = tempDatabase();
  // The benchmark's year (history with reassignments and reopenings, themes, outcomes, surveys, kudos), small.
  seedYear(store.db, { items: 6000, kudos: 3000, departments: ids, end: END });
});
afterAll(() => store.remove());

const numbersOfRun = () =>
  createDigestNumbers({ db: store.db, departmentIds: () => ids, now: () => END + 60_000 });

function inputOf(manager: Manager, numbers: ComposeInput['numbers']): ComposeInput {
  const departments: Department[] = config.departments.filter((d) => manager.departments.includes(d.id));
  return {
    db: store.db,
    numbers,
    manager,
    departments,
    ...run,
    people: departments.flatMap((d) => [...d.members, ...d.leads]),
    unrecognisedWeeks: 4,
    atRiskDays: 30,
  };
}

/** SQL that counts every department's numbers of a period (what a run's digests share). */
const SHARED_COUNTS = [
  /at - COALESCE\(held_since, at\)/, // first acknowledgements and resolutions
  /COUNT\(DISTINCT item_id\)/, // received, resolved (the trend)
  /FROM theme_day_totals/, // the themes' weekly counts
  /GROUP BY department_id, kind, severity/, // the week's mix
  /FROM customer_follow_ups/, // outcomes
];

it('keeps exactly the numbers of counting in one go, and the digests read them without counting again', async () => {
  const sliced = numbersOfRun();
  await sliced.prepare(run, createSlicer());
  expect(sliced.weeks(run.period)).toEqual(departmentWeeks(store.db, ids, run.period));

  const seen: string[] = [];
  for (const manager of config.managers) {
    const stop = watchStatements(store.db, (sql) => seen.push(sql));
    let digest: ReturnType<typeof composeDigest>;
    try {
      digest = composeDigest(inputOf(manager, sliced));
    } finally {
      stop();
    }
    // Counted in one go, as a digest composed without the run's slices counts it.
    expect(digest).toEqual(composeDigest(inputOf(manager, numbersOfRun())));
    expect(digest.current.received).toBeGreaterThan(0);
    expect(digest.topThemes.length).toBeGreaterThan(0);
    expect(digest.trend.received.filter((n) => n > 0)).toHaveLength(8);
  }
  for (const pattern of SHARED_COUNTS) expect(seen.filter((sql) => pattern.test(sql))).toEqual([]);
});

it('counts one department at a time, waiting for Slack requests and letting other work run between slices', async () => {
  const numbers = numbersOfRun();
  // Each count of first acknowledgements and resolutions: the departments asked about, and the event-loop turn.
  const asked: { departments: string[]; turn: number }[] = [];
  const turns = countLoopTurns();
  const stop = watchStatements(store.db, (sql, args) => {
    if (/at - COALESCE\(held_since, at\)/.test(sql))
      asked.push({
        departments: args.filter((a): a is string => ids.includes(a as string)),
        turn: turns.now(),
      });
  });
  let requests = 1;
  try {
    const counting = numbers.prepare(run, createSlicer({ sliceMs: 0, requestsInFlight: () => requests }));
    // A second digest of the run composed meanwhile waits for the same count.
    expect(numbers.prepare(run, createSlicer())).toBe(counting);
    await new Promise((resolve) => setTimeout(resolve, 30));
    // A Slack request is being answered: nothing is counted meanwhile.
    expect(asked).toEqual([]);
    requests = 0;
    await counting;
  } finally {
    turns.stop();
    stop();
  }
  // Every department's week (and the week before) counted, each department on its own and in its own turn.
  expect(asked.filter((a) => a.departments.length !== 1)).toEqual([]);
  expect(new Set(asked.map((a) => a.departments[0]))).toEqual(new Set(ids));
  const byTurn = new Map<number, Set<string>>();
  for (const a of asked)
    byTurn.set(a.turn, (byTurn.get(a.turn) ?? new Set()).add(a.departments[0] as string));
  expect([...byTurn.values()].filter((departments) => departments.size > 1)).toEqual([]);
  expect(byTurn.size).toBe(2 * ids.length);
});
