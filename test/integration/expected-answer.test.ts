import { afterEach, beforeEach, expect, it } from 'vitest';
import { REFRESH_MS } from '../../src/feedback/expected-answer.js';
import { createFeedbackService, type FeedbackService } from '../../src/feedback/service.js';
import { newFeedback, orgConfig } from '../support/org-fixture.js';
import { statementsOf } from '../support/statements.js';
import { manualClock, silentLogger, tempDatabase } from '../support/temp-dir.js';

/** The receipt's "usually acknowledges within" is cheap at intake: a bounded index read, kept for a while. */

let store: ReturnType<typeof tempDatabase>;
let feedback: FeedbackService;
const clock = manualClock(Date.parse('2026-11-24T09:00:00Z'));
const config = orgConfig();

beforeEach(() => {
  store = tempDatabase();
  feedback = createFeedbackService({ db: store.db, clock, config: () => config, logger: silentLogger });
});
afterEach(() => store.remove());

const RECENT = /JOIN feedback_items f ON f\.id = e\.item_id/;
const file = () => feedback.submit(newFeedback({ departmentId: 'billing' }));

it("reads a department's recent acknowledgements once per refresh, not once per item", () => {
  const filings = statementsOf(store.db, () => {
    for (let i = 0; i < 5; i += 1) file();
  });
  expect(filings.filter((sql) => RECENT.test(sql))).toHaveLength(1);
  clock.advance(REFRESH_MS);
  expect(statementsOf(store.db, file).filter((sql) => RECENT.test(sql))).toHaveLength(1);
});

it('reads the newest acknowledgements from the history index, newest first, without sorting or scanning', () => {
  const sql = statementsOf(store.db, file).find((s) => RECENT.test(s));
  if (!sql) throw new Error('the recent acknowledgements were not read');
  const plan = (
    store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('billing', 0, 500) as { detail: string }[]
  ).map((r) => r.detail);
  expect(plan.join(' | ')).toContain('SEARCH e USING COVERING INDEX feedback_events_numbers');
  expect(plan.join(' | ')).toContain('SEARCH f USING INTEGER PRIMARY KEY');
  expect(plan.filter((line) => /^SCAN|TEMP B-TREE/.test(line))).toEqual([]);
});
