import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueueOutbox, listDueOutbox, markOutboxSent } from '../../src/slack/delivery/outbox-repo.js';
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
    markOutboxSent(db, 1, 10);
    expect(ids(db, 60, 10, [])).toEqual([2, 3, 4, 5]);
  });

  it('reads one index entry per conversation, never the whole backlog', () => {
    const db = store.db;
    const seen: string[] = [];
    const prepare = db.prepare.bind(db);
    Object.assign(db, {
      prepare: (sql: string) => {
        seen.push(sql);
        return prepare(sql);
      },
    });
    try {
      listDueOutbox(db, 1, 8, [], []);
    } finally {
      Object.assign(db, { prepare });
    }
    // Bind the placeholders of whichever query it prepared: numbers and JSON lists alike accept '[]'-or-1.
    const bindAll = (sql: string) => Array<string>((sql.match(/\?/g) ?? []).length).fill('[]');
    const details = seen.flatMap((sql) =>
      (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...bindAll(sql)) as { detail: string }[]).map(
        (r) => r.detail,
      ),
    );
    // Any search of outbox_due walks every pending message: one step per message in the backlog.
    expect(details.filter((d) => /SCAN o(utbox)?\b|outbox_due/.test(d))).toEqual([]);
  });
});
