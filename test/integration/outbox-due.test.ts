import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  enqueueOutbox,
  listDueOutbox,
  markOutboxSent,
  QUICK_LOOK,
} from '../../src/slack/delivery/outbox-repo.js';
import type { Db } from '../../src/store/db.js';
import { tempDatabase } from '../support/temp-dir.js';
import '../support/test-outbox-kind.js';

let store: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  store = tempDatabase();
});
afterEach(() => store.remove());

const queue = (db: Db, n: number, orderingKey: string | undefined, at = 0) =>
  enqueueOutbox(db, { kind: 'k', payload: { n }, dedupeKey: `d${n}`, orderingKey }, at);

const ids = (db: Db, ...args: Parameters<typeof listDueOutbox> extends [Db, ...infer R] ? R : never) =>
  listDueOutbox(db, ...args).map((e) => (e.payload as { n: number }).n);

/** The SQL `run` prepares on `db` (the repos compile each statement once, on first use). */
function preparedBy(db: Db, run: () => void): string[] {
  const seen: string[] = [];
  const prepare = db.prepare.bind(db);
  Object.assign(db, {
    prepare: (sql: string) => {
      seen.push(sql);
      return prepare(sql);
    },
  });
  try {
    run();
  } finally {
    Object.assign(db, { prepare });
  }
  return seen;
}

/** EXPLAIN QUERY PLAN of `sql`, every placeholder bound to '[]' (numbers and JSON lists alike accept it). */
function planOf(db: Db, sql: string): string[] {
  const bindAll = Array<string>((sql.match(/\?/g) ?? []).length).fill('[]');
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...bindAll) as { detail: string }[]).map(
    (r) => r.detail,
  );
}

describe('picking due deliveries', () => {
  it('takes the first pending message of each conversation and every unkeyed one', () => {
    const db = store.db;
    queue(db, 1, 'C1');
    queue(db, 2, 'C1');
    queue(db, 3, 'C2');
    queue(db, 4, undefined);
    queue(db, 5, 'C3', 50); // not due before 50
    queue(db, 6, 'C3');
    expect(ids(db, 10, 10, [])).toEqual([1, 3, 4]);
    // A conversation whose first message is under way waits for it: its second does not overtake it.
    expect(ids(db, 10, 10, [1])).toEqual([3, 4]);
    expect(ids(db, 10, 10, [], ['C2'])).toEqual([1, 4]);
    expect(ids(db, 60, 2, [])).toEqual([1, 3]);
    markOutboxSent(db, [1], 10);
    expect(ids(db, 60, 10, [])).toEqual([2, 3, 4, 5]);
  });

  it('finds the earliest first messages of many conversations, and behind a long backlog in one', () => {
    const db = store.db;
    for (let n = 1; n <= 100; n += 1) queue(db, n, 'C1'); // a long backlog in one channel
    for (let n = 101; n <= 120; n += 1) queue(db, n, `U${n}`); // then DMs, one each
    // The 64 earliest due messages are all C1's: the quick look finds one first message, so it walks instead.
    expect(ids(db, 10, 8, [])).toEqual([1, 101, 102, 103, 104, 105, 106, 107]);
    expect(ids(db, 10, 8, [1])).toEqual([101, 102, 103, 104, 105, 106, 107, 108]);
    markOutboxSent(
      db,
      Array.from({ length: 100 }, (_, i) => i + 1),
      10,
    );
    for (let n = 121; n <= 140; n += 1) queue(db, n, undefined, 5); // unkeyed, due after the DMs' time 0
    queue(db, 141, 'U101');
    expect(ids(db, 10, 8, [101])).toEqual([102, 103, 104, 105, 106, 107, 108, 109]);
    expect(ids(db, 10, 30, [], ['U102'])).toEqual(
      [
        ...Array.from({ length: 19 }, (_, i) => 101 + i).filter((n) => n !== 102),
        120,
        ...Array.from({ length: 11 }, (_, i) => 121 + i),
      ].slice(0, 30),
    );
  });

  it('reads past the messages under way: with the earliest QUICK_LOOK due all taken, it still does not walk', () => {
    const db = store.db;
    const underWay = Array.from({ length: QUICK_LOOK + 8 }, (_, i) => i + 1);
    // Twelve conversations' runs under way (as the delivery loop holds them), then DMs waiting, one each.
    for (const n of underWay) queue(db, n, `C${n % 12}`);
    for (let n = 1001; n <= 1010; n += 1) queue(db, n, `U${n}`);
    const keys = Array.from({ length: 12 }, (_, i) => `C${i}`);
    let found: number[] = [];
    const seen = preparedBy(db, () => {
      found = ids(db, 10, 4, underWay, keys);
    });
    expect(found).toEqual([1001, 1002, 1003, 1004]);
    expect(seen.filter((sql) => sql.includes('WITH RECURSIVE keys'))).toEqual([]);
  });

  it('reads one index entry per conversation, or a bounded look at the earliest due, never the whole backlog', () => {
    const db = store.db;
    const seen = preparedBy(db, () => {
      listDueOutbox(db, 1, 8, []); // the quick look, and whether more are due than it read
      listDueOutbox(db, 1, 8, [], [], false); // the walk
    });
    expect(seen).toHaveLength(3);
    for (const sql of seen) {
      const details = planOf(db, sql);
      // Any search of outbox_due walks pending messages one step each: only the quick look and the count of
      // what it read may, each with a LIMIT (QUICK_LOOK and those under way; one more than that).
      const bounded =
        sql.includes('ORDER BY next_attempt_at, id LIMIT ?) o') ||
        sql.includes('next_attempt_at <= ? LIMIT ?)');
      if (!bounded)
        expect(
          details.filter((d) => /SCAN o(utbox)?\b|outbox_due/.test(d)),
          sql,
        ).toEqual([]);
      else
        expect(
          details.filter((d) => /SCAN outbox\b/.test(d)),
          sql,
        ).toEqual([]);
    }
  });

  it('reads only the earliest due unkeyed messages, however many wait (a burst of kudos between new people)', () => {
    const db = store.db;
    for (let n = 1; n <= 300; n += 1) queue(db, n, undefined, n === 1 ? 50 : 0);
    queue(db, 301, 'C1');
    let walked: number[] = [];
    // The walk (the quick look skipped): in due order, without the one under way (2) or the retry not due (1).
    const seen = preparedBy(db, () => {
      walked = ids(db, 10, 8, [2], [], false);
    });
    expect(walked).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(ids(db, 60, 3, [], [], false)).toEqual([2, 3, 4]);
    expect(ids(db, 60, 400, [], [], false)).toHaveLength(301);
    const walk = seen.find((sql) => sql.includes('WITH RECURSIVE keys')) ?? '';
    const plan = planOf(db, walk);
    // Each look reads at most `limit` of them, in due order, from their own index; before, every one waiting.
    expect(plan.filter((d) => d.includes('outbox_pending_unkeyed'))).toHaveLength(1);
  });
});
