/**
 * Intake with a year already stored (issue 13: "the cost of one item must not grow with the size of the history"):
 * the same flat-out `/feedback` load, from its own process, against the app on a copy of the seeded year and then
 * on an empty database with the same org, each waiting until every acked item is stored and posted. The copy
 * keeps the seeded file as it was, so later runs measure the same year.
 */
import { copyFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { startSlackStandIn } from '../../src/sandbox/slack-standin.js';
import { runLoadProcess } from './run-load.js';
import {
  type BenchRow,
  memoryOf,
  SECRET,
  startApp,
  type YearOptions,
  yearDatabasePath,
  yearOrgPath,
} from './year-of-data.js';

type IntakeRun = {
  perSecond: number;
  acked: number;
  stored: number;
  posted: number;
  drainMs?: number;
  peakMb: number;
};

const DRAIN_GIVE_UP_MS = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A first post of an item: to a department's channel or triage, not in a thread. */
const isItemPost = (args: Record<string, unknown>) =>
  typeof args.channel === 'string' && /^C0(DEPT|TRIAGE)/.test(args.channel) && args.thread_ts === undefined;

async function intakeOn(o: YearOptions, dbPath: string, config: string, seconds: number): Promise<IntakeRun> {
  const standIn = await startSlackStandIn();
  const app = await startApp(o, standIn, dbPath, config);
  try {
    await sleep(3000); // the start-up tick and its catch-up finish
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      const count = (sql: string, ...args: unknown[]) =>
        db
          .prepare(sql)
          .pluck()
          .get(...args) as number;
      const lastId = count('SELECT COALESCE(MAX(id), 0) FROM feedback_items');
      standIn.clearCalls();
      const load = await runLoadProcess({
        url: app.url,
        secret: SECRET,
        kind: 'feedback',
        seconds,
        connections: 32,
        prefix: 'yi',
        first: 30_000_000,
      });
      const loadEnded = performance.now();
      const stored = () => count('SELECT COUNT(*) FROM feedback_items WHERE id > ?', lastId);
      const posted = () => standIn.callsTo('chat.postMessage').filter((c) => isItemPost(c.args)).length;
      const pending = () => count("SELECT COUNT(*) FROM outbox WHERE status = 'pending'");
      let drainMs: number | undefined;
      while (performance.now() - loadEnded < DRAIN_GIVE_UP_MS) {
        if (stored() >= load.ok && posted() >= load.ok && pending() === 0) {
          drainMs = performance.now() - loadEnded;
          break;
        }
        await sleep(100);
      }
      return {
        perSecond: load.perSecond,
        acked: load.ok,
        stored: stored(),
        posted: posted(),
        ...(drainMs === undefined ? {} : { drainMs }),
        peakMb: memoryOf(app.child.pid ?? 0).peakMb,
      };
    } finally {
      db.close();
    }
  } finally {
    app.child.kill('SIGTERM');
    await app.exited;
    await standIn.close();
  }
}

/** Rows: acks/s with the year stored and on an empty database, their ratio, and that every item got through. */
export async function intakeAtScale(o: YearOptions, seconds: number): Promise<BenchRow[]> {
  const config = yearOrgPath(o);
  const copy = resolve(o.out, 'year-intake-copy.db');
  const empty = resolve(o.out, 'year-intake-empty.db');
  const remove = () => {
    for (const path of [copy, empty])
      for (const end of ['', '-wal', '-shm']) rmSync(`${path}${end}`, { force: true });
  };
  remove();
  copyFileSync(yearDatabasePath(o), copy);
  try {
    const full = await intakeOn(o, copy, config, seconds);
    const bare = await intakeOn(o, empty, config, seconds);
    const ratio = full.perSecond / bare.perSecond;
    const through = (r: IntakeRun) =>
      `${r.acked} acked, ${r.stored} stored, ${r.posted} posted${r.drainMs === undefined ? ', never drained' : `, drained ${(r.drainMs / 1000).toFixed(1)} s after the load`}`;
    return [
      {
        what: `/feedback flat-out acks/s, ${o.items} items stored`,
        value: `${full.perSecond.toFixed(0)} /s`,
        budget: '',
        note: `${ratio.toFixed(2)}x the empty database's ${bare.perSecond.toFixed(0)}/s; ${through(full)}`,
      },
      {
        what: '/feedback flat-out acks/s, empty database',
        value: `${bare.perSecond.toFixed(0)} /s`,
        budget: '',
        note: through(bare),
      },
      {
        what: `/feedback flat-out: resident memory peak, ${o.items} items stored`,
        value: `${full.peakMb} MB`,
        budget: '< 250 MB',
      },
    ];
  } finally {
    remove();
  }
}
