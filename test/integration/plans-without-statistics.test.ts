import { afterEach, beforeEach, expect, it } from 'vitest';
import { departmentWeeks, sharedKudos } from '../../src/digest/department-week.js';
import { adoptSlaPolicy } from '../../src/feedback/escalation-repo.js';
import { leaderboard } from '../../src/kudos/repo.js';
import { kudosReceived, kudosToOtherTeams, openAtEnd } from '../../src/metrics/numbers.js';
import { createDueFollowUps, hasFollowUpWork } from '../../src/outcomes/follow-up-repo.js';
import type { Db } from '../../src/store/db.js';
import { queryPlanOf, statementsOf } from '../support/statements.js';
import { tempDatabase } from '../support/temp-dir.js';

/**
 * The app never runs ANALYZE, so SQLite plans every query without statistics, whatever the database holds. Then it
 * may pick an index on `status` alone for a query that names a status, and `status = 'resolved'` is nearly every
 * item: at a year of data the minute tick's look for follow-up work read 1M items (about 200 ms, every minute), and a
 * digest's count of items resolved after the period read every resolved item filed before it. Nor does SQLite skip
 * through an index by its first column without them, so the App Home's leaderboard for a period read the whole
 * ledger. These reads name their index; the plans here are the ones a real database gets, since none has statistics.
 */

let store: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  store = tempDatabase();
});
afterEach(() => store.remove());

/** Searches feedback_items by status and nothing narrower: every resolved item, at a year of data. */
const BY_STATUS_ALONE = /feedback_items USING (COVERING )?INDEX \w+ \(status=\?(?: AND created_at[<>]\?)?\)/;

function plansOf(db: Db, run: () => void): string[] {
  const queries = [...new Set(statementsOf(db, run))].filter(
    (sql) =>
      /^\s*(SELECT|UPDATE|WITH)/.test(sql) &&
      /FROM (feedback_items|kudos_ledger)|UPDATE feedback_items/.test(sql),
  );
  return queries.map((sql) => queryPlanOf(db, sql).join(' | '));
}

it('has no statistics, as a database the app made never has', () => {
  const tables = store.db
    .prepare("SELECT name FROM sqlite_master WHERE name LIKE 'sqlite_stat%'")
    .pluck()
    .all();
  expect(tables).toEqual([]);
});

it.each([
  [
    'the minute tick: is there follow-up work',
    (db: Db) => hasFollowUpWork(db, { after: 0, through: 1 }, 0),
    'INDEX feedback_items_follow_up (resolved_at>? AND resolved_at<?)',
  ],
  [
    'the follow-ups due',
    (db: Db) => createDueFollowUps(db, { after: { at: 0, id: 0 }, through: 1 }, 0, 10),
    'INDEX feedback_items_follow_up (resolved_at>? AND resolved_at<?)',
  ],
  [
    'a digest: items open at the end of the period',
    (db: Db) => openAtEnd(db, ['billing', 'shipping'], { start: 0, end: 1 }),
    'INDEX feedback_items_department_resolved (department_id=? AND resolved_at>?)',
  ],
  [
    "the App Home's leaderboard for a period",
    (db: Db) => leaderboard(db, 0, 10),
    'INDEX kudos_ledger_recipient_created (recipient_id=? AND created_at>?)',
  ],
  [
    'a new SLA policy: marking open items a slice of ids at a time',
    (db: Db) => adoptSlaPolicy(db, 'policy-1', 0),
    'USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)',
  ],
])(
  '%s reads through its own index, never a whole table or every item of a status',
  (_what, run, expected) => {
    const plans = plansOf(store.db, () => run(store.db));
    expect(plans.length).toBeGreaterThan(0);
    for (const plan of plans) {
      expect(plan).not.toMatch(BY_STATUS_ALONE);
      expect(plan).not.toMatch(/SCAN (feedback_items|kudos_ledger)\b/);
    }
    expect(plans.join('\n')).toContain(expected);
  },
);

it("reads a digest's kudos (received, given to other teams, values, recent, shared) from the index of department lists", () => {
  const db = store.db;
  const period = { start: 0, end: 1 };
  const queries = [
    ...new Set(
      statementsOf(db, () => {
        departmentWeeks(db, ['billing', 'shipping'], period);
        kudosReceived(db, ['billing'], period);
        kudosToOtherTeams(db, ['billing'], period);
        sharedKudos(db, period);
      }),
    ),
  ].filter((sql) => /FROM kudos_ledger/.test(sql) && /created_at >= \?/.test(sql));
  expect(queries.length).toBeGreaterThanOrEqual(4);
  for (const sql of queries) {
    const ledger = queryPlanOf(db, sql).filter((line) => /^SEARCH (kudos_ledger|l)\b/.test(line));
    expect(ledger, sql).toEqual([
      expect.stringContaining('INDEX kudos_ledger_created_departments (created_at>?'),
    ]);
  }
});
