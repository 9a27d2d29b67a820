import { afterAll, beforeAll, expect, it } from 'vitest';
import { DAY, seedYear } from '../../scripts/bench/seed-year.js';
import { createSlicer } from '../../src/jobs/slicer.js';
import { reminderLeadInSlices } from '../../src/strategy/reminder-slices.js';
import { createStrategyService } from '../../src/strategy/service.js';
import { reminderLeadBlocks } from '../../src/themes/lead-blocks.js';
import { countLoopTurns } from '../support/loop-turns.js';
import { orgConfig } from '../support/org-fixture.js';
import { watchStatements } from '../support/statements.js';
import { manualClock, silentLogger, tempDatabase } from '../support/temp-dir.js';

/**
 * A team reminder's numbers (the period's and the one before's, the outcomes, the lead themes) are counted in
 * slices before the reminder is built, with the event loop free between them (issue 14: built in one go, a
 * reminder held the app 45-75 ms of CPU at 1M items).
 */

const END = Date.parse('2026-11-23T08:00:00Z');
const config = orgConfig();
const ids = config.departments.map((d) => d.id);
let store: ReturnType<typeof tempDatabase>;
beforeAll(() => {
  store = tempDatabase();
  seedYear(store.db, { items: 4000, kudos: 2000, departments: ids, end: END });
});
afterAll(() => store.remove());

it("counts a reminder's numbers a step a turn, waiting for Slack requests, and builds what one go builds", async () => {
  const deps = {
    db: store.db,
    clock: manualClock(END),
    config: () => config,
    logger: silentLogger,
    groupMembers: async () => new Set<string>(),
  };
  const department = config.departments[0];
  if (!department) throw new Error('no department');
  const period = { start: END - 7 * DAY, end: END };
  const strategy = createStrategyService(deps).teamStrategy(department, period);
  const turns = countLoopTurns();
  const ran: number[] = [];
  const stop = watchStatements(store.db, () => ran.push(turns.now()));
  let requests = 1;
  let lead: Awaited<ReturnType<typeof reminderLeadInSlices>> = [];
  try {
    const counting = reminderLeadInSlices(
      store.db,
      strategy,
      createSlicer({ sliceMs: 0, requestsInFlight: () => requests }),
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(ran).toEqual([]); // a Slack request is being answered: nothing counted meanwhile
    requests = 0;
    lead = await counting;
  } finally {
    turns.stop();
    stop();
  }
  // Two dozen steps and more, each in a turn of its own.
  expect(new Set(ran).size).toBeGreaterThan(24);
  // What the reminder then reads was counted: reading every number runs no query.
  const after: string[] = [];
  const stopAfter = watchStatements(store.db, (sql) => after.push(sql));
  try {
    for (const numbers of [strategy.numbers, strategy.previousNumbers]) JSON.stringify(numbers);
    void strategy.outcomes;
  } finally {
    stopAfter();
  }
  expect(after).toEqual([]);
  expect(lead).toEqual(reminderLeadBlocks(store.db, department, period));
  expect(strategy.numbers.received).toBeGreaterThan(0);
});
