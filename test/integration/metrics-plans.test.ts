import { afterEach, beforeEach, expect, it } from 'vitest';
import { departmentWeeks } from '../../src/digest/department-week.js';
import { changedSince, openNow, satisfaction, teamNumbers } from '../../src/metrics/numbers.js';
import { oldestOpenItems } from '../../src/metrics/open-items.js';
import type { Db } from '../../src/store/db.js';
import { planOf, statementsOf } from '../support/statements.js';
import { tempDatabase } from '../support/temp-dir.js';

/**
 * Every query behind a team's numbers (a reminder, /strategy, the App Home, a digest week) is an index search:
 * none reads a whole table, so they stay fast over millions of items and kudos (npm run bench measures it).
 */

let store: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  store = tempDatabase();
});
afterEach(() => store.remove());

/** The SQL a piece of code prepares on `db`, each text once. */
const queriesOf = (db: Db, run: () => void): string[] => [...new Set(statementsOf(db, run))];

it('reads every team number from an index, and the history and kudos from covering ones, never a whole table', () => {
  const db = store.db;
  const period = { start: 0, end: 1 };
  const queries = queriesOf(db, () => {
    const numbers = teamNumbers(db, 'billing', period);
    for (const key of Object.keys(numbers)) void numbers[key as keyof typeof numbers];
    openNow(db, ['billing']);
    oldestOpenItems(db, ['billing'], 5);
    changedSince(db, period, 0);
    departmentWeeks(db, ['billing', 'shipping'], period);
    satisfaction(db, ['billing', 'shipping'], period);
  });
  expect(queries.length).toBeGreaterThan(10);
  for (const sql of queries) {
    const plan = planOf(db, sql);
    const tableScans = plan.filter((line) => /^SCAN (?!j\b)/.test(line));
    expect(tableScans, sql).toEqual([]);
    if (/FROM feedback_events/.test(sql)) expect(plan.join(' | '), sql).toContain('USING COVERING INDEX');
    if (/FROM survey_requests/.test(sql)) {
      expect(plan.join(' | '), sql).toContain('USING COVERING INDEX survey_answers_department');
    }
  }
  expect(queries.some((sql) => /FROM survey_requests/.test(sql))).toBe(true);
});
