import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Open the SQLite file with the pragmas the app relies on:
 * WAL (readers never block the writer), foreign keys on, a busy timeout so a backup or a second
 * reader does not make a write fail, and synchronous=NORMAL (durable across process crashes in WAL mode).
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  cachePreparedStatements(db);
  return db;
}

/**
 * Repositories call `db.prepare(sql)` where they use it, which keeps each query next to its code; compiling the
 * same SQL on every call cost more than running it (a third of intake time). Statements are compiled once per
 * SQL text and reused; a reused reader is put back in its default row mode (`pluck` is set per call site).
 */
const MAX_CACHED_STATEMENTS = 500;

function cachePreparedStatements(db: Db): void {
  const compile = db.prepare.bind(db);
  const statements = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = compile(sql);
      // SQL built with a variable number of placeholders makes new texts; keep the cache bounded.
      if (statements.size >= MAX_CACHED_STATEMENTS)
        statements.delete(statements.keys().next().value as string);
      statements.set(sql, statement);
    } else if (statement.reader) {
      statement.pluck(false);
    }
    return statement;
  }) as Db['prepare'];
}
