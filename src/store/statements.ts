import type Database from 'better-sqlite3';
import type { Db } from './db.js';

/**
 * The statement cache. Repositories write `stmt(db, sql)` where they run a query, which keeps each query next to
 * its code; compiling the same SQL on every call cost more than running it (a third of intake time). Each SQL text
 * is compiled once per database and reused; a reused reader is put back in its default row mode, since `pluck` is
 * set per call site. `db.prepare` stays what better-sqlite3 makes it (one-off statements, migrations, tests).
 */
const MAX_CACHED_STATEMENTS = 500;

const caches = new WeakMap<Db, Map<string, Database.Statement>>();

export function stmt(db: Db, sql: string): Database.Statement {
  let statements = caches.get(db);
  if (!statements) {
    statements = new Map();
    caches.set(db, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    // SQL built with a variable number of placeholders makes new texts; keep the cache bounded.
    if (statements.size >= MAX_CACHED_STATEMENTS) statements.delete(statements.keys().next().value as string);
    statements.set(sql, statement);
  } else if (statement.reader) {
    statement.pluck(false);
  }
  return statement;
}
