import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { allTimeLeaderboard, leaderboard, revokeKudos } from '../../src/kudos/repo.js';
import { type Db, openDatabase } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import { statementsOf } from '../support/statements.js';
import { KUDOS_PEOPLE, storedKudos } from '../support/stored-rows.js';
import { silentLogger, tempDatabase, tempDir } from '../support/temp-dir.js';

/**
 * The all-time leaderboard reads running totals kept by the ledger's own writes (issue 14: counting the whole
 * ledger on every App Home publish took 60 ms at 1M kudos). They must always equal a count of the ledger.
 */

let store: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  store = tempDatabase();
});
afterEach(() => store.remove());

const people = KUDOS_PEOPLE;
const give = (n: number, giver: string, recipients: string[], db: Db = store.db) =>
  storedKudos(db, n, giver, recipients, 1_700_000_000_000 + n);

/** The board as a count of the ledger (what the leaderboard read before totals), for everyone or a department. */
function countedFromLedger(department?: string, db: Db = store.db) {
  return db
    .prepare(
      `SELECT recipient_id AS userId, COUNT(*) AS count FROM kudos_ledger
       WHERE revoked_at IS NULL AND (? IS NULL OR EXISTS (SELECT 1 FROM json_each(recipient_departments) WHERE value = ?))
       GROUP BY recipient_id ORDER BY count DESC, recipient_id`,
    )
    .all(department ?? null, department ?? null);
}

it('keeps all-time totals equal to the ledger through kudos given and withdrawn, for everyone and per department', () => {
  const given: number[] = [];
  for (let n = 0; n < 60; n += 1) {
    const giver = people[n % 4] as string;
    const recipients = people.filter((p, i) => p !== giver && (n + i) % 3 !== 0);
    given.push(give(n, giver, recipients));
    if (n % 7 === 3) revokeKudos(store.db, given[n - 2] as number, 'message deleted', 1_800_000_000_000);
  }
  // Withdrawing twice changes nothing.
  revokeKudos(store.db, given[1] as number, 'message deleted', 1_800_000_000_000);
  expect(revokeKudos(store.db, given[1] as number, 'again', 1_800_000_000_001)).toBe(false);

  expect(allTimeLeaderboard(store.db, 10)).toEqual(countedFromLedger());
  expect(allTimeLeaderboard(store.db, 10)).toEqual(leaderboard(store.db, 0, 10));
  for (const d of ['billing', 'support', 'shipping']) {
    expect(allTimeLeaderboard(store.db, 10, d), d).toEqual(countedFromLedger(d));
  }
  // Billing's board holds only the people who were in billing when thanked.
  expect(
    allTimeLeaderboard(store.db, 10, 'billing')
      .map((r) => r.userId)
      .sort(),
  ).toEqual(['U0AAAAAAA1', 'U0BBBBBBB2']);
});

it('counts the kudos already in the ledger when the totals are introduced, and reads them from their index', () => {
  const dir = tempDir();
  const db = openDatabase(join(dir.path, 'before-totals.db'));
  try {
    // The ledger as it was before migration 13, with one kudos withdrawn.
    migrate(
      db,
      migrations.filter((m) => m.id < 13),
      silentLogger,
    );
    for (let n = 0; n < 10; n += 1) give(n, people[0] as string, [people[1 + (n % 3)] as string], db);
    revokeKudos(db, 1, 'message deleted', 1_800_000_000_000);
    migrate(db, migrations, silentLogger);
    expect(allTimeLeaderboard(db, 10)).toEqual(countedFromLedger(undefined, db));
    expect(allTimeLeaderboard(db, 10, 'shipping')).toEqual(countedFromLedger('shipping', db));

    const [sql] = statementsOf(db, () => allTimeLeaderboard(db, 10));
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('*', 10) as { detail: string }[])
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toContain('USING COVERING INDEX kudos_received_totals_rank');
    expect(plan).not.toContain('TEMP B-TREE');
  } finally {
    db.close();
    dir.remove();
  }
});
