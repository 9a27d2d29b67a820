import { afterEach, beforeEach, expect, it } from 'vitest';
import { customerComplaints, departmentWeeks } from '../../src/digest/department-week.js';
import { createPeriodPieces } from '../../src/digest/period-pieces.js';
import { changedSince, openNow, satisfaction, teamNumbers } from '../../src/metrics/numbers.js';
import { oldestOpenItems } from '../../src/metrics/open-items.js';
import type { Db } from '../../src/store/db.js';
import { weeklyCountsByDepartment } from '../../src/themes/theme-totals.js';
import { themedDayItems } from '../../src/themes/themed-days.js';
import { queryPlanOf, statementsOf } from '../support/statements.js';
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

const planOf = queryPlanOf;

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
    // The digest preview's pieces, its theme trend and its customers at risk (issue 14).
    const pieces = createPeriodPieces({ db, now: () => 10 * 86_400_000 });
    const week = { start: 0, end: 3 * 86_400_000 + 5 };
    pieces.weeks(['billing', 'shipping'], week, 'full', undefined);
    pieces.weeks(['billing', 'shipping'], week, 'full', undefined);
    weeklyCountsByDepartment(db, { departments: ['billing'] }, [1], [{ start: 5, end: 86_400_000 * 8 + 5 }]);
    themedDayItems(db, 1);
    customerComplaints(db, [1, 2], { end: 1, days: 30, weekStart: 0 });
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
  for (const read of [
    /FROM theme_day_changes WHERE day = \?/,
    /SUM\(CASE WHEN day/,
    /FROM department_open_counts/,
  ])
    expect(queries.some((sql) => read.test(sql))).toBe(true);
});
