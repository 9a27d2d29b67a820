import type { Db } from '../../src/store/db.js';

type Statement = { source: string; database: Db };
const RUNNERS = ['run', 'get', 'all', 'iterate'] as const;

/**
 * Calls `seen` with each statement run on `db` (its SQL and bound values) until the returned function is
 * called. Statements are observed when they run, not when they are prepared: the repos reuse compiled
 * statements (`stmt`), so one compile serves many runs.
 */
export function watchStatements(db: Db, seen: (sql: string, args: unknown[]) => void): () => void {
  const proto = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<string, unknown>;
  const originals = RUNNERS.map((name) => [name, proto[name]] as const);
  for (const [name, original] of originals) {
    proto[name] = function (this: Statement, ...args: unknown[]) {
      if (this.database === db) seen(this.source, args);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
  }
  return () => {
    for (const [name, original] of originals) proto[name] = original;
  };
}

/** Every SQL text that `run` executes on `db` (statements run, and `exec`), in order, against the real database. */
export function statementsOf(db: Db, run: () => void): string[] {
  const seen: string[] = [];
  const stop = watchStatements(db, (sql) => seen.push(sql));
  const { exec } = db;
  Object.assign(db, {
    exec: (sql: string) => {
      seen.push(sql);
      return exec.call(db, sql);
    },
  });
  try {
    run();
  } finally {
    stop();
    Object.assign(db, { exec });
  }
  return seen;
}

/** Every statement `run` executes on `db` (awaited), with the values bound to it: what each query was asked. */
export async function executionsOf(
  db: Db,
  run: () => Promise<unknown>,
): Promise<{ sql: string; args: unknown[] }[]> {
  const seen: { sql: string; args: unknown[] }[] = [];
  const stop = watchStatements(db, (sql, args) => seen.push({ sql, args }));
  try {
    await run();
  } finally {
    stop();
  }
  return seen;
}

/** SQLite's plan for a query (EXPLAIN QUERY PLAN), with every parameter bound to 1. */
export function planOf(db: Db, sql: string): string[] {
  const statement = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  // Placeholders inside literals (a GLOB pattern) are not parameters: bind as many as the statement takes.
  for (let n = (sql.match(/\?/g) ?? []).length; n >= 0; n -= 1) {
    try {
      return (statement.all(...Array<number>(n).fill(1)) as { detail: string }[]).map((r) => r.detail);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
    }
  }
  throw new Error(`cannot bind ${sql}`);
}
