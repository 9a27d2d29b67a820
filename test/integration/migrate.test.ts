import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { routingSentence } from '../../src/feedback/blocks.js';
import { getLatestRouting } from '../../src/feedback/repo.js';
import { BUSY_TIMEOUT_MS, openDatabase } from '../../src/store/db.js';
import { MigrationError, migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import { silentLogger, tempDir } from '../support/temp-dir.js';

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});
function freshDb() {
  const dir = tempDir();
  dirs.push(dir);
  return openDatabase(join(dir.path, 'app.db'));
}

/** A database migrated up to (not including) migration `id`, holding one feedback item as stored then. */
function databaseBefore(id: number, item: { department: string; status: string }) {
  const db = freshDb();
  migrate(
    db,
    migrations.filter((m) => m.id < id),
    silentLogger,
  );
  db.prepare(
    `INSERT INTO feedback_items (idempotency_key, team_id, reporter_id, source, kind, severity, summary,
       department_id, status, created_at, updated_at)
     VALUES ('k1', 'T1', 'U1', 'command', 'complaint', 'normal', 'old item', ?, ?, 1000, 2000)`,
  ).run(item.department, item.status);
  return db;
}

describe('openDatabase', () => {
  it('sets WAL, foreign keys and a busy timeout short enough to answer Slack in time', () => {
    const db = freshDb();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    expect(BUSY_TIMEOUT_MS).toBeLessThan(3000);
    db.close();
  });

  it('refuses a folder that does not exist instead of creating it, naming the folder', () => {
    const dir = tempDir();
    dirs.push(dir);
    expect(() => openDatabase(join(dir.path, 'unmounted', 'app.db'))).toThrow(
      /its folder .*unmounted does not exist; create it/,
    );
  });
});

describe('migrate', () => {
  it('applies every migration once, in order, and records it', () => {
    const db = freshDb();
    expect(migrate(db, migrations, silentLogger)).toEqual(migrations.map((m) => m.id));
    expect(migrate(db, migrations, silentLogger)).toEqual([]);
    const applied = db.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all();
    expect(applied).toEqual(migrations.map((m) => ({ id: m.id, name: m.name })));
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .pluck()
      .all();
    expect(tables).toEqual(
      expect.arrayContaining([
        'customers',
        'feedback_items',
        'feedback_routing',
        'feedback_events',
        'outbox',
      ]),
    );
    db.close();
  });

  it('upgrades a database with feedback from before the lifecycle (migration 3) without losing anything', () => {
    const db = databaseBefore(3, { department: 'billing', status: 'acknowledged' });
    db.prepare(
      `INSERT INTO feedback_events (item_id, at, actor_id, action, from_status, to_status)
       VALUES (1, 1500, 'U2', 'acknowledge', 'new', 'acknowledged')`,
    ).run();
    expect(migrate(db, migrations, silentLogger)).toEqual(
      migrations.filter((m) => m.id >= 3).map((m) => m.id),
    );
    expect(
      db
        .prepare(
          `SELECT status, version, sla_started_at, acknowledged_at, resolved_at, similar_count, customer_at_risk
           FROM feedback_items`,
        )
        .get(),
    ).toEqual({
      status: 'acknowledged',
      version: 1,
      sla_started_at: 1000,
      acknowledged_at: 1500,
      resolved_at: null,
      similar_count: 0,
      customer_at_risk: 0,
    });
    db.close();
  });

  it('upgrades stored reassignment reasons (migration 6): who reassigned is rendered from decided_by', () => {
    const db = databaseBefore(6, { department: 'shipping', status: 'new' });
    const route = db.prepare(
      `INSERT INTO feedback_routing (item_id, department_id, method, reason, score, matched, decided_by, decided_at)
       VALUES (1, ?, ?, ?, 0, '[]', ?, ?)`,
    );
    route.run('billing', 'explicit', 'chosen by the reporter', 'U1', 1000);
    route.run('shipping', 'explicit', 'reassigned by <@U0MOVER01>', 'U0MOVER01', 2000);
    migrate(db, migrations, silentLogger);
    const routing = getLatestRouting(db, 1);
    expect(routing).toMatchObject({ reason: 'reassigned', decidedBy: 'U0MOVER01' });
    if (!routing) throw new Error('no routing');
    expect(routingSentence(routing, undefined)).toBe('Sent to *triage* · reassigned by <@U0MOVER01>');
    expect(db.prepare('SELECT reason FROM feedback_routing WHERE id = 1').pluck().get()).toBe(
      'chosen by the reporter',
    );
    db.close();
  });

  it('credits each stored change to the department that owned the item then, since it got it (migration 9)', () => {
    // Filed to Billing at 1000, acknowledged by Billing at 4600, reassigned to Shipping at 5000, which
    // acknowledged it at 5600: stored before migration 5, which credited every change to Shipping.
    const db = databaseBefore(5, { department: 'shipping', status: 'acknowledged' });
    db.prepare(
      `INSERT INTO feedback_routing (item_id, department_id, method, reason, score, matched, decided_at)
       VALUES (1, 'billing', 'rules', '', 1, '[]', 1000), (1, 'shipping', 'explicit', 'reassigned', 0, '[]', 5000)`,
    ).run();
    db.prepare(
      `INSERT INTO feedback_events (item_id, at, actor_id, action, from_status, to_status, from_department,
         to_department)
       VALUES (1, 1000, 'U1', 'created', NULL, 'new', NULL, NULL),
              (1, 4600, 'U2', 'acknowledge', 'new', 'acknowledged', NULL, NULL),
              (1, 5000, 'U2', 'reassign', 'acknowledged', 'new', 'billing', 'shipping'),
              (1, 5600, 'U3', 'acknowledge', 'new', 'acknowledged', NULL, NULL)`,
    ).run();
    migrate(db, migrations, silentLogger);
    expect(
      db
        .prepare('SELECT action, department_id, to_department, held_since FROM feedback_events ORDER BY id')
        .all(),
    ).toEqual([
      { action: 'created', department_id: 'billing', to_department: 'billing', held_since: 1000 },
      { action: 'acknowledge', department_id: 'billing', to_department: null, held_since: 1000 },
      { action: 'reassign', department_id: 'billing', to_department: 'shipping', held_since: 1000 },
      { action: 'acknowledge', department_id: 'shipping', to_department: null, held_since: 5000 },
    ]);
    db.close();
  });

  it('keeps when each manager and each team with reminders was first known (migration 7)', () => {
    const db = freshDb();
    migrate(
      db,
      migrations.filter((m) => m.id < 7),
      silentLogger,
    );
    db.prepare('INSERT INTO digest_managers (user_id, first_seen) VALUES (?, ?)').run('U0MGR00001', 1000);
    const run = db.prepare(
      `INSERT INTO job_runs (job, subject, scheduled_for, period_start, period_end, status, created_at)
       VALUES ('team-reminder', 'billing', ?, ?, ?, 'queued', ?)`,
    );
    run.run(5000, 4000, 5000, 5100);
    run.run(9000, 5000, 9000, 9100);
    expect(migrate(db, migrations, silentLogger)).toEqual(
      migrations.filter((m) => m.id >= 7).map((m) => m.id),
    );
    expect(db.prepare('SELECT job, subject, first_seen FROM job_subjects ORDER BY job').all()).toEqual([
      { job: 'manager-digest', subject: 'U0MGR00001', first_seen: 1000 },
      { job: 'team-reminder', subject: 'billing', first_seen: 5100 },
    ]);
    db.close();
  });

  it('refuses a list with a gap', () => {
    const db = freshDb();
    expect(() =>
      migrate(
        db,
        [
          { id: 1, name: 'a', sql: 'SELECT 1' },
          { id: 3, name: 'c', sql: 'SELECT 1' },
        ],
        silentLogger,
      ),
    ).toThrow(MigrationError);
    db.close();
  });

  it('rolls a failing migration back completely', () => {
    const db = freshDb();
    const bad = [{ id: 1, name: 'half', sql: 'CREATE TABLE t1 (a INTEGER); CREATE TABLE broken (' }];
    expect(() => migrate(db, bad, silentLogger)).toThrow();
    expect(db.prepare(`SELECT COUNT(*) FROM sqlite_master WHERE name = 't1'`).pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(0);
    db.close();
  });

  it('refuses a database written by a newer version', () => {
    const db = freshDb();
    migrate(db, migrations, silentLogger);
    db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (999, ?, 0)').run(
      'from-the-future',
    );
    expect(() => migrate(db, migrations, silentLogger)).toThrow(/newer Courtesy Loop/);
    db.close();
  });
});
