import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { departmentLeaderboard, revokeKudos } from '../../src/kudos/repo.js';
import { type Db, openDatabase } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import { migrationsBefore } from '../support/migrations-before.js';
import { statementsOf } from '../support/statements.js';
import { KUDOS_PEOPLE, storedKudos } from '../support/stored-rows.js';
import { silentLogger, tempDatabase, tempDir } from '../support/temp-dir.js';

/**
 * A department's leaderboard for a period reads that department's own rows, kept by the ledger's triggers; it
 * must always equal a count of the ledger (kudos given, withdrawn, restored; people in several departments).
 */

let store: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  store = tempDatabase();
});
afterEach(() => store.remove());

const T0 = 1_700_000_000_000;
const people = KUDOS_PEOPLE;
const give = (n: number, giver: string, recipients: string[], db: Db = store.db) =>
  storedKudos(db, n, giver, recipients, T0 + n * 3_600_000);

/** The board counted from the ledger itself. */
function countedFromLedger(department: string, since: number, db: Db = store.db) {
  return db
    .prepare(
      `SELECT recipient_id AS userId, COUNT(*) AS count FROM kudos_ledger
       WHERE revoked_at IS NULL AND created_at >= ?
         AND EXISTS (SELECT 1 FROM json_each(recipient_departments) WHERE value = ?)
       GROUP BY recipient_id ORDER BY count DESC, recipient_id LIMIT 10`,
    )
    .all(since, department);
}

function expectBoardsMatchLedger(db: Db = store.db) {
  for (const department of ['billing', 'support', 'shipping', 'product']) {
    for (const since of [0, T0 + 20 * 3_600_000, T0 + 50 * 3_600_000]) {
      expect(departmentLeaderboard(db, department, since, 10), `${department} since ${since}`).toEqual(
        countedFromLedger(department, since, db),
      );
    }
  }
}

it('equals the ledger for every department and period through kudos given, withdrawn and restored', () => {
  const given: number[] = [];
  for (let n = 0; n < 60; n += 1) {
    const giver = people[n % 4] as string;
    given.push(
      give(
        n,
        giver,
        people.filter((p, i) => p !== giver && (n + i) % 3 !== 0),
      ),
    );
    if (n % 7 === 3) revokeKudos(store.db, given[n - 2] as number, 'message deleted', T0 + 100 * 3_600_000);
  }
  expectBoardsMatchLedger();
  expect(departmentLeaderboard(store.db, 'product', 0, 10)).toEqual([]);
  // A withdrawal undone (the ledger row's revoked_at cleared) counts again.
  store.db.prepare('UPDATE kudos_ledger SET revoked_at = NULL WHERE kudos_id = ?').run(given[1]);
  expectBoardsMatchLedger();
  store.db.prepare('DELETE FROM kudos_ledger WHERE kudos_id = ?').run(given[5]);
  expectBoardsMatchLedger();
});

it('counts the kudos already in the ledger when the table is introduced', () => {
  const dir = tempDir();
  const db = openDatabase(join(dir.path, 'before.db'));
  try {
    migrate(db, migrationsBefore('first-time-right'), silentLogger);
    for (let n = 0; n < 12; n += 1) give(n, people[n % 4] as string, [people[(n + 1) % 4] as string], db);
    revokeKudos(db, 2, 'message deleted', T0 + 100 * 3_600_000);
    migrate(db, migrations, silentLogger);
    expectBoardsMatchLedger(db);
  } finally {
    db.close();
    dir.remove();
  }
});

it("reads a range of the department's own rows, never the whole ledger of the period", () => {
  const [sql] = statementsOf(store.db, () => departmentLeaderboard(store.db, 'billing', T0, 10));
  const plan = (
    store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('billing', T0, 10) as { detail: string }[]
  ).map((r) => r.detail);
  expect(plan[0]).toMatch(
    /^SEARCH kudos_department_received USING PRIMARY KEY \(department_id=\? AND created_at>\?\)/,
  );
  expect(plan.filter((line) => line.startsWith('SCAN'))).toEqual([]);
});
