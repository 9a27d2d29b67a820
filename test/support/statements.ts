import type { Db } from '../../src/store/db.js';

/** Every SQL text that `run` prepares or executes on `db`, in order, recorded while it runs against the real database. */
export function statementsOf(db: Db, run: () => void): string[] {
  const seen: string[] = [];
  const { prepare, exec } = db;
  Object.assign(db, {
    prepare: (sql: string) => {
      seen.push(sql);
      return prepare.call(db, sql);
    },
    exec: (sql: string) => {
      seen.push(sql);
      return exec.call(db, sql);
    },
  });
  try {
    run();
  } finally {
    Object.assign(db, { prepare, exec });
  }
  return seen;
}
