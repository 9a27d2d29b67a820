import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckpointResult } from '../../src/store/checkpoint-worker.js';
import { type Checkpointer, createCheckpointer } from '../../src/store/checkpointer.js';
import { type Db, openDatabase } from '../../src/store/db.js';
import { tempDir } from '../support/temp-dir.js';

let db: Db | undefined;
let checkpointer: Checkpointer | undefined;
let dir: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  await checkpointer?.stop();
  db?.close();
  dir?.remove();
  checkpointer = undefined;
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await pause(10);
  }
}

function openTable(): { db: Db; write(rows: number): void } {
  dir = tempDir();
  const file = join(dir.path, 'app.db');
  const opened = openDatabase(file);
  db = opened;
  opened.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT); CREATE INDEX t_body ON t (body)');
  const insert = opened.prepare('INSERT INTO t (body) VALUES (?)');
  return {
    db: opened,
    // One commit per row, each a page or more: what a burst of filings does to the log.
    write: (rows) => {
      for (let i = 0; i < rows; i++) insert.run(`${i}:${'x'.repeat(3000)}:${Math.random()}`);
    },
  };
}

/** Looks every 30 ms, busy from 20 rows a look, a checkpoint every 20 ms: seconds of the app's pace in a test. */
const FAST = { watchMs: 30, busyChanges: 20, intervalMs: 20 };

const autocheckpoint = (d: Db) => d.pragma('wal_autocheckpoint', { simple: true });

function capture() {
  const lines: { msg: string; why?: string }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('WAL checkpoints', () => {
  it('move to a worker while writes are busy: the log stays short though the app connection takes none', async () => {
    const t = openTable();
    const seen: CheckpointResult[] = [];
    checkpointer = createCheckpointer(t.db, {
      ...FAST,
      logger: capture().logger,
      quietLooks: 1000,
      restartPages: 2000,
      onCheckpoint: (r) => seen.push(r),
    });
    checkpointer.start();
    expect(autocheckpoint(t.db)).toBe(1000);
    t.write(50);
    await until(() => checkpointer?.offThread() === true);
    await until(() => autocheckpoint(t.db) === 0);
    // 8,000 commits of a row of 3 KB, in bursts with the event loop free between them (as under load).
    for (let burst = 0; burst < 80; burst++) {
      t.write(100);
      await pause(5);
    }
    await pause(100);
    t.write(1);
    expect(autocheckpoint(t.db)).toBe(0);
    expect(seen.length).toBeGreaterThan(5);
    // The 8,000 commits wrote over 30,000 pages. With the worker's checkpoints alone the log never started
    // again (it reached 54,000 pages): here it starts again, each time after passing restartPages.
    const logs = seen.map((r) => r.log);
    const restarts = logs.filter((log, i) => i > 0 && log < (logs[i - 1] as number));
    expect(restarts.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...logs)).toBeLessThan(4 * 2000);
  });

  it('go back to the app connection when writes are quiet, and when stopped', async () => {
    const t = openTable();
    const { logger, lines } = capture();
    // Quiet for 20 looks (600 ms): longer than a worker takes to start on a loaded machine (up to ~120 ms seen).
    checkpointer = createCheckpointer(t.db, { ...FAST, logger, quietLooks: 20 });
    checkpointer.start();
    t.write(50);
    await until(() => autocheckpoint(t.db) === 0);
    await until(() => checkpointer?.offThread() === false);
    expect(autocheckpoint(t.db)).toBe(1000);
    expect(lines.map((l) => l.msg)).toContain(
      'writes are quiet: WAL checkpoints are back on the main thread',
    );
    // Busy again: the worker comes back; stopping ends it and hands checkpoints back.
    t.write(50);
    await until(() => autocheckpoint(t.db) === 0);
    await checkpointer.stop();
    expect(checkpointer.offThread()).toBe(false);
    expect(autocheckpoint(t.db)).toBe(1000);
  });

  it('stay on the app connection, said once, when the worker cannot start', async () => {
    const t = openTable();
    const { logger, lines } = capture();
    checkpointer = createCheckpointer(t.db, {
      ...FAST,
      logger,
      driverPath: join(dir?.path ?? '', 'no-such-driver.js'),
    });
    checkpointer.start();
    t.write(50);
    await until(() => lines.some((l) => l.why === 'the checkpoint worker failed'));
    for (let i = 0; i < 5; i++) {
      t.write(50);
      await pause(40);
    }
    expect(checkpointer.offThread()).toBe(false);
    expect(autocheckpoint(t.db)).toBe(1000);
    const warnings = lines.filter((l) => l.msg.startsWith('WAL checkpoints stay on the main thread'));
    expect(warnings).toHaveLength(1);
  });

  it('go back to the app connection, and stay there a while, when a long read keeps the log from being copied', async () => {
    const t = openTable();
    const { logger, lines } = capture();
    let started = 0;
    checkpointer = createCheckpointer(t.db, {
      ...FAST,
      logger: {
        warn: logger.warn.bind(logger),
        debug: (msg: string) => {
          if (msg.startsWith('writes are busy')) started += 1;
        },
      },
      quietLooks: 30,
      restartPages: 500,
    });
    checkpointer.start();
    t.write(50);
    await until(() => autocheckpoint(t.db) === 0);
    // Another connection reads from one snapshot all along: nothing written after it can be copied.
    const reader = openDatabase(t.db.name);
    reader.exec('BEGIN');
    reader.prepare('SELECT COUNT(*) FROM t').get();
    try {
      for (let burst = 0; burst < 30 && checkpointer.offThread(); burst++) {
        t.write(100);
        await pause(20);
      }
      expect(checkpointer.offThread()).toBe(false);
      expect(autocheckpoint(t.db)).toBe(1000);
      expect(lines.map((l) => l.msg)).toContain(
        'the WAL keeps growing; checkpoints are back on the main thread',
      );
      // Still busy, but the worker does not start again at once (30 looks, 900 ms).
      for (let burst = 0; burst < 10; burst++) {
        t.write(50);
        await pause(30);
      }
      expect(started).toBe(1);
    } finally {
      reader.exec('ROLLBACK');
      reader.close();
    }
  });

  it('are not started for a database in memory', async () => {
    db = openDatabase(':memory:');
    checkpointer = createCheckpointer(db, { logger: capture().logger, watchMs: 10, busyChanges: 1 });
    checkpointer.start();
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1), (2), (3)');
    await pause(50);
    expect(checkpointer.offThread()).toBe(false);
  });
});
