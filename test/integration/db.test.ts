import { afterEach, describe, expect, it } from 'vitest';
import { stmt } from '../../src/store/statements.js';
import { tempDatabase } from '../support/temp-dir.js';

let store: ReturnType<typeof tempDatabase> | undefined;
afterEach(() => store?.remove());

describe('stmt', () => {
  it('compiles each SQL text once per database and hands a reused reader back in its default row mode', () => {
    store = tempDatabase();
    const { db } = store;
    const sql = 'SELECT id, name FROM schema_migrations WHERE id = ?';
    expect(stmt(db, sql)).toBe(stmt(db, sql));
    expect(stmt(db, sql).pluck().get(1)).toBe(1);
    expect(stmt(db, sql).get(1)).toEqual({ id: 1, name: 'init' });
    const insert =
      'INSERT INTO job_runs (job, subject, scheduled_for, period_start, period_end, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)';
    expect(stmt(db, insert).run('j', 's', 1, 0, 1, 'queued', 1).changes).toBe(1);
    expect(stmt(db, insert).run('j', 's', 2, 0, 1, 'queued', 1).changes).toBe(1);
  });

  it('leaves db.prepare as better-sqlite3 made it: a new statement each call', () => {
    store = tempDatabase();
    const { db } = store;
    expect(db.prepare('SELECT 1')).not.toBe(db.prepare('SELECT 1'));
  });
});
