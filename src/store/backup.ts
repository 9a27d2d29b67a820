import { existsSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { appliedMigrations, unknownMigrations } from './migrate.js';
import type { Migration } from './migrations/index.js';

/**
 * Online backup and a careful restore of the SQLite file.
 *
 * Backup uses SQLite's backup API (better-sqlite3's `db.backup()`): a consistent copy taken page by page
 * while the app keeps reading and writing (WAL mode); the app is never blocked for more than a step.
 *
 * Restore refuses to replace a database a running app holds. A process that has the file open in WAL mode
 * holds a shared lock on it for as long as it is open, so an exclusive lock with no wait fails exactly when
 * the app (or any other process) has it open, and succeeds when nobody has: no pid file that a crash leaves
 * stale. The file to restore is checked first (a SQLite database, intact, written by this version or an older
 * one), copied next to the target, and swapped in with a rename; the replaced file is kept beside it.
 */

export class BackupError extends Error {
  readonly code = 'backup_error';
}

/** Copy the database at `source` to `destination` (a new file), safely while the app runs. Returns pages copied. */
export async function backupDatabase(source: string, destination: string): Promise<number> {
  if (!existsSync(source)) throw new BackupError(`${source} does not exist: check DATABASE_PATH`);
  if (existsSync(destination))
    throw new BackupError(`${destination} already exists: choose a new file name (nothing was overwritten)`);
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    const { totalPages } = await db.backup(destination);
    return totalPages;
  } finally {
    db.close();
  }
}

/** Whether another process has the database open (the app running, a shell, a backup under way). */
export function databaseInUse(path: string): boolean {
  if (!existsSync(path)) return false;
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('ROLLBACK');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return true;
    throw error;
  } finally {
    db.close();
  }
}

/** Check a file is an intact Courtesy Loop database this version can run; say what is wrong if not. */
export function validateBackup(path: string, known: readonly Migration[]): { migrations: number } {
  if (!existsSync(path)) throw new BackupError(`${path} does not exist`);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupError(`${path} cannot be opened as a SQLite database (${(error as Error).message})`);
  }
  try {
    const integrity = db.pragma('quick_check', { simple: true });
    if (integrity !== 'ok') throw new BackupError(`${path} is damaged: ${String(integrity)}`);
    const hasLog = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
      .get();
    if (!hasLog)
      throw new BackupError(`${path} is not a Courtesy Loop database (no schema_migrations table)`);
    const applied = appliedMigrations(db);
    const unknown = unknownMigrations(applied, known);
    if (unknown.length > 0) {
      throw new BackupError(
        `${path} was written by a newer Courtesy Loop (migrations ${unknown.join(', ')}); upgrade the app first`,
      );
    }
    return { migrations: applied.length };
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${path} is not a usable database (${(error as Error).message})`);
  } finally {
    db.close();
  }
}

/**
 * Replace the database at `target` with the backup at `source`. Refuses while the target is in use. The replaced
 * file (if any) is kept as `<target>.replaced-<time>`; returns that path.
 */
export async function restoreDatabase(input: {
  source: string;
  target: string;
  known: readonly Migration[];
  now: number;
}): Promise<{ replaced: string | undefined; migrations: number }> {
  const { source, target } = input;
  const { migrations } = validateBackup(source, input.known);
  if (databaseInUse(target)) {
    throw new BackupError(
      `${target} is in use (the app is running, or another process has it open): stop the app first, then restore`,
    );
  }
  const staging = `${target}.restoring`;
  rmSync(staging, { force: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(staging);
  } finally {
    db.close();
  }
  // Checked again just before the swap: the app may have started while the copy was made.
  if (databaseInUse(target)) {
    rmSync(staging, { force: true });
    throw new BackupError(`${target} came into use during the restore: stop the app, then restore again`);
  }
  const stamp = new Date(input.now).toISOString().replace(/[:.]/g, '-');
  const replaced = existsSync(target) ? `${target}.replaced-${stamp}` : undefined;
  if (replaced) renameSync(target, replaced);
  // A closed database leaves no -wal/-shm behind; if a crash did, they belong to the replaced file.
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(target + suffix)) renameSync(target + suffix, `${replaced ?? `${target}.stale`}${suffix}`);
  }
  renameSync(staging, target);
  return { replaced, migrations };
}
