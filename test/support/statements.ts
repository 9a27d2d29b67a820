import type { Db } from '../../src/store/db.js';

type Statement = { source: string; database: Db };
const RUNNERS = ['run', 'get', 'all', 'iterate'] as const;

/**
 * Every SQL text that `run` executes on `db` (statements run, and `exec`), in order, recorded while it runs
 * against the real database. Statements are observed when they run, not when they are prepared: the repos
 * reuse compiled statements (`stmt`), so a statement runs many times for one compile.
 */
export function statementsOf(db: Db, run: () => void): string[] {
  const seen: string[] = [];
  const proto = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<string, unknown>;
  const originals = RUNNERS.map((name) => [name, proto[name]] as const);
  for (const [name, original] of originals) {
    proto[name] = function (this: Statement, ...args: unknown[]) {
      if (this.database === db) seen.push(this.source);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
  }
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
    for (const [name, original] of originals) proto[name] = original;
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
  const proto = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<string, unknown>;
  const originals = RUNNERS.map((name) => [name, proto[name]] as const);
  for (const [name, original] of originals) {
    proto[name] = function (this: Statement, ...args: unknown[]) {
      if (this.database === db) seen.push({ sql: this.source, args });
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
  }
  try {
    await run();
  } finally {
    for (const [name, original] of originals) proto[name] = original;
  }
  return seen;
}
