import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openNow } from '../../src/metrics/numbers.js';
import { type Db, openDatabase } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import { migrationsBefore } from '../support/migrations-before.js';
import { silentLogger, tempDatabase, tempDir } from '../support/temp-dir.js';

/**
 * Items open now per department are running totals kept by triggers in the item's own write (issue 14: counting
 * them scanned every open item, 100k at a year of data, on each digest preview, reminder and /strategy). They
 * must always equal the count they replace, whatever happens to the items, and start right on an existing file.
 */

const DEPARTMENTS = ['billing', 'shipping', 'product'];
const STATUSES = ['new', 'acknowledged', 'resolved', 'reopened'];
let store: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  store = tempDatabase();
});
afterEach(() => store.remove());

const counted = (db: Db) =>
  new Map(
    DEPARTMENTS.map((d) => [
      d,
      db
        .prepare(`SELECT COUNT(*) FROM feedback_items WHERE department_id = ? AND status <> 'resolved'`)
        .pluck()
        .get(d) as number,
    ]),
  );

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

function file(db: Db, n: number, department: string | null, status: string): void {
  db.prepare(
    `INSERT INTO feedback_items (idempotency_key, team_id, reporter_id, source, kind, severity, summary,
       department_id, status, created_at, updated_at) VALUES (?, 'T1', 'U1', 'command', 'complaint', 'normal', 's', ?, ?, ?, ?)`,
  ).run(`k${n}`, department, status, n, n);
}

it('equals the count of open items after any filing, status change, reassignment or deletion', () => {
  const { db } = store;
  const rnd = random(5);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)] as T;
  for (let n = 0; n < 600; n++) {
    const ids = db.prepare('SELECT id FROM feedback_items').pluck().all() as number[];
    const roll = rnd();
    if (roll < 0.35 || ids.length === 0) file(db, n, rnd() < 0.1 ? null : pick(DEPARTMENTS), pick(STATUSES));
    else if (roll < 0.65)
      db.prepare('UPDATE feedback_items SET status = ? WHERE id = ?').run(pick(STATUSES), pick(ids));
    else if (roll < 0.8)
      db.prepare('UPDATE feedback_items SET department_id = ? WHERE id = ?').run(
        rnd() < 0.1 ? null : pick(DEPARTMENTS),
        pick(ids),
      );
    else if (roll < 0.9)
      db.prepare('UPDATE feedback_items SET department_id = ?, status = ? WHERE id = ?').run(
        pick(DEPARTMENTS),
        pick(STATUSES),
        pick(ids),
      );
    else {
      db.prepare('DELETE FROM feedback_items WHERE id = ?').run(pick(ids));
    }
    if (n % 50 === 0) expect(openNow(db, DEPARTMENTS)).toEqual(counted(db));
  }
  expect(openNow(db, DEPARTMENTS)).toEqual(counted(db));
  expect([...counted(db).values()].every((n) => n > 0)).toBe(true);
});

it('starts from the items already open when the database is upgraded', () => {
  const dir = tempDir();
  const db = openDatabase(join(dir.path, 'before.db'));
  try {
    migrate(db, migrationsBefore('digest-pieces'), silentLogger);
    for (let n = 0; n < 30; n++) file(db, n, DEPARTMENTS[n % 3] as string, STATUSES[n % 4] as string);
    migrate(db, migrations, silentLogger);
    expect(openNow(db, DEPARTMENTS)).toEqual(counted(db));
    expect(openNow(db, DEPARTMENTS).get('billing')).toBe(8);
  } finally {
    db.close();
    dir.remove();
  }
});
