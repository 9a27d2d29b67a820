import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueueOutbox, markOutboxSent } from '../../src/slack/delivery/outbox-repo.js';
import { createPacer } from '../../src/slack/delivery/pacer.js';
import { type DueLooks, pickStartable } from '../../src/slack/delivery/pick-startable.js';
import type { Db } from '../../src/store/db.js';
import { watchStatements } from '../support/statements.js';
import { tempDatabase } from '../support/temp-dir.js';
import '../support/test-outbox-kind.js';

/**
 * A backlog in a few channels (a burst of filings to three departments): each look for work read the 64
 * earliest due messages, found no conversation among them it could start, then walked the conversations. A
 * walk that found fewer than it asked for, with more due than the quick look reads, makes the next look walk at
 * once; one that finds enough goes back to the quick look (many conversations, where the walk costs a step
 * each). A few messages at a time (requests at a steady pace) never walk: the quick look saw them all.
 */

let store: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  store = tempDatabase();
});
afterEach(() => store.remove());

const queue = (db: Db, n: number, orderingKey: string) =>
  enqueueOutbox(db, { kind: 'k', payload: { n }, dedupeKey: `d${n}`, orderingKey }, 0);

const noPacing = createPacer(() => ({ perKeyIntervalMs: 0, perKeyBurst: 1, maxPerSecond: 0 }));

/**
 * Which queries each look ran: 'quick' (the earliest due), 'count' (whether more are due than it read) and
 * 'walk' (the conversations).
 */
function looksOf(db: Db, run: () => void): string[] {
  const seen: string[] = [];
  const stop = watchStatements(db, (sql) => {
    if (sql.includes('SELECT COUNT(*) > ?')) seen.push('count');
    else if (sql.includes('INDEXED BY outbox_due')) seen.push('quick');
    if (sql.includes('WITH RECURSIVE keys')) seen.push('walk');
  });
  try {
    run();
  } finally {
    stop();
  }
  return seen;
}

describe('looking for due work', () => {
  it('walks at once after a look found fewer than it asked for, and looks quickly again once it finds enough', () => {
    const db = store.db;
    const channels = ['C0BILLING1', 'C0SHIPPIN1', 'C0PRODUCT1'];
    for (let n = 0; n < 300; n += 1) queue(db, n, channels[n % 3] as string);
    const looks: DueLooks = { walkFirst: false };
    const pick = (underWay: number[]) =>
      pickStartable(db, noPacing, { now: 1, free: 8, underWay, wake: () => {}, looks });

    let picked: number[] = [];
    expect(looksOf(db, () => (picked = pick([]).map((e) => e.id)))).toEqual(['quick', 'count', 'walk']);
    expect(picked).toEqual([1, 2, 3]);
    // The three channels under way: nothing to start, and no quick look at the backlog before the walk.
    expect(looksOf(db, () => expect(pick(picked)).toEqual([]))).toEqual(['walk', 'count']);

    // Many conversations with work (DMs after a burst of kudos): the walk finds enough, so the next look is a
    // quick one (which finds them among the earliest due once the channels' backlog is sent).
    for (let n = 300; n < 320; n += 1) queue(db, n, `U0PERSON${n}`);
    expect(looksOf(db, () => expect(pick(picked)).toHaveLength(8))).toEqual(['walk']);
    markOutboxSent(
      db,
      Array.from({ length: 300 }, (_, i) => i + 1),
      1,
    );
    expect(looksOf(db, () => expect(pick([])).toHaveLength(8))).toEqual(['quick']);
  });

  it('does not walk when requests come a few at a time: the quick look saw every due message', () => {
    const db = store.db;
    const looks: DueLooks = { walkFirst: false };
    const pick = (underWay: number[]) =>
      pickStartable(db, noPacing, { now: 1, free: 12, underWay, wake: () => {}, looks });
    queue(db, 1, 'C0BILLING1');
    queue(db, 2, 'C0BILLING1');
    queue(db, 3, 'C0SHIPPIN1');
    let picked: number[] = [];
    expect(looksOf(db, () => (picked = pick([]).map((e) => e.id)))).toEqual(['quick', 'count']);
    expect(picked).toEqual([1, 3]);
    expect(looksOf(db, () => expect(pick(picked)).toEqual([]))).toEqual(['quick', 'count']);
    expect(looks.walkFirst).toBe(false);
  });

  it('goes back to the quick look once a backlog that made it walk is within its reach', () => {
    const db = store.db;
    const looks: DueLooks = { walkFirst: false };
    const pick = (underWay: number[]) =>
      pickStartable(db, noPacing, { now: 1, free: 8, underWay, wake: () => {}, looks });
    for (let n = 0; n < 100; n += 1) queue(db, n, 'C0BILLING1');
    expect(looksOf(db, () => expect(pick([])).toHaveLength(1))).toEqual(['quick', 'count', 'walk']);
    expect(looks.walkFirst).toBe(true);
    markOutboxSent(
      db,
      Array.from({ length: 90 }, (_, i) => i + 1),
      1,
    );
    // Ten left, all within the 64 the quick look reads: the walk finds one, and the next look is quick again.
    expect(looksOf(db, () => expect(pick([])).toHaveLength(1))).toEqual(['walk', 'count']);
    expect(looks.walkFirst).toBe(false);
    expect(looksOf(db, () => expect(pick([])).toHaveLength(1))).toEqual(['quick', 'count']);
  });
});
