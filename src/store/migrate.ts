import type { Logger } from 'pino';
import type { Db } from './db.js';
import type { Migration } from './migrations/index.js';

export class MigrationError extends Error {
  readonly code = 'migration_error';
}

/**
 * Apply pending migrations in order, each in its own transaction, and record each one.
 * Refuses a list with gaps or duplicates, and a database that has migrations this code does not know
 * (it was opened by a newer version; running older code against it could corrupt data).
 */
export function migrate(db: Db, migrations: readonly Migration[], logger: Pick<Logger, 'info'>): number[] {
  migrations.forEach((m, index) => {
    if (m.id !== index + 1) {
      throw new MigrationError(
        `migration list has a gap or is out of order at "${m.name}" (id ${m.id}, expected ${index + 1})`,
      );
    }
  });
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const applied = appliedMigrations(db);
  const unknown = unknownMigrations(applied, migrations);
  if (unknown.length > 0) {
    throw new MigrationError(
      `the database has migrations this version does not know (${unknown.join(', ')}); ` +
        'it was written by a newer Courtesy Loop. Upgrade the app or restore a backup.',
    );
  }
  const done = new Set(applied.map((a) => a.id));
  const ran: number[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (done.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.id, m.name, Date.now());
    })();
    logger.info({ migration: `${m.id}-${m.name}` }, 'applied migration');
    ran.push(m.id);
  }
  return ran;
}

type AppliedMigration = { id: number; name: string };

/** The migrations recorded in a database, in order. */
export function appliedMigrations(db: Db): AppliedMigration[] {
  return db.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all() as AppliedMigration[];
}

/** Applied migrations this code does not know (`12-name`): the database was written by a newer version. */
export function unknownMigrations(
  applied: readonly AppliedMigration[],
  known: readonly Migration[],
): string[] {
  return applied
    .filter((a) => !known.some((m) => m.id === a.id && m.name === a.name))
    .map((u) => `${u.id}-${u.name}`);
}
