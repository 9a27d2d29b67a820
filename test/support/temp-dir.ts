import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { type Db, openDatabase } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';

export function tempDir(prefix = 'courtesy-loop-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export const silentLogger = pino({ level: 'silent' });

/** A migrated database in a fresh temp directory (a real file, WAL and all). */
export function tempDatabase(): { db: Db; path: string; remove(): void } {
  const dir = tempDir();
  const path = join(dir.path, 'test.db');
  const db = openDatabase(path);
  migrate(db, migrations, silentLogger);
  return {
    db,
    path,
    remove: () => {
      if (db.open) db.close();
      dir.remove();
    },
  };
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.parse('2026-11-23T09:00:00Z')) {
  let now = start;
  return {
    now: () => now,
    set: (t: number) => {
      now = t;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}
