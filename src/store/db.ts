import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseUnavailableError } from './db-faults.js';

export type Db = Database.Database;

/**
 * How long a write waits for another process's lock before it fails with SQLITE_BUSY. better-sqlite3 waits
 * synchronously, so this also bounds how long one locked write holds every other request: short enough
 * that the person still gets "nothing was saved, please retry" within Slack's 3 seconds, long enough
 * for a backup's brief lock.
 */
export const BUSY_TIMEOUT_MS = 1000;

/**
 * Open the SQLite file with the pragmas the app relies on:
 * WAL (readers never block the writer), foreign keys on, a short busy timeout (above), and
 * synchronous=NORMAL (durable across process crashes in WAL mode), and temp_store=MEMORY: statement journals
 * (a statement in a transaction that may have to undo itself alone, e.g. one whose triggers write the theme
 * totals) and temporary sort tables stay in memory instead of temp files in /var/tmp (53 of them created in
 * a 3 s flat-out `/feedback` run without it, none with it). Resident memory with a year of data (1M items,
 * 1M kudos, `npm run bench:year`) did not grow with it: peak 174 MB, against 236 MB in the run without.
 * The folder must exist: creating it would hide a volume that is not mounted behind a new, empty database.
 * `readonly` is for tools and tests (the app itself needs to write).
 */
export function openDatabase(path: string, options: { readonly?: boolean } = {}): Db {
  const folder = dirname(resolve(path));
  if (path !== ':memory:' && !existsSync(folder)) {
    throw new DatabaseUnavailableError(
      path,
      `cannot be created: its folder ${folder} does not exist; create it`,
    );
  }
  const db = new Database(path, options.readonly ? { readonly: true, fileMustExist: true } : {});
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('temp_store = MEMORY');
  // After a burst the WAL starts again from the top; its file is cut back to 64 MB then, not kept at its peak.
  db.pragma('journal_size_limit = 67108864');
  return db;
}

/**
 * Fail now, not at the first request, if the database cannot take a write (read-only, locked, full):
 * a write inside a transaction that is rolled back, so nothing stays behind.
 */
export function checkWritable(db: Db): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec('CREATE TABLE courtesy_loop_write_check (x INTEGER)');
  } finally {
    db.exec('ROLLBACK');
  }
}
