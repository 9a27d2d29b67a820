import { afterEach, describe, expect, it } from 'vitest';
import { tempDatabase } from '../support/temp-dir.js';

let store: ReturnType<typeof tempDatabase> | undefined;
afterEach(() => store?.remove());

describe('openDatabase', () => {
  it('compiles each SQL text once and hands a reused reader back in its default row mode', () => {
    store = tempDatabase();
    const { db } = store;
    const sql = 'SELECT id, name FROM schema_migrations WHERE id = ?';
    expect(db.prepare(sql)).toBe(db.prepare(sql));
    expect(db.prepare(sql).pluck().get(1)).toBe(1);
    expect(db.prepare(sql).get(1)).toEqual({ id: 1, name: 'init' });
    const insert =
      'INSERT INTO job_runs (job, subject, scheduled_for, period_start, period_end, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)';
    expect(db.prepare(insert).run('j', 's', 1, 0, 1, 'queued', 1).changes).toBe(1);
    expect(db.prepare(insert).run('j', 's', 2, 0, 1, 'queued', 1).changes).toBe(1);
  });
});
