import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import type { DeliveryHandler, DeliveryOptions } from '../../src/slack/delivery/delivery.js';
import { enqueueOutbox } from '../../src/slack/delivery/outbox-repo.js';
import { RUN_MAX } from '../../src/slack/delivery/runs.js';
import type { Db } from '../../src/store/db.js';
import { deliveryLoopFixture, heldCall, nextTurn } from '../support/delivery-loop.js';
import { watchStatements } from '../support/statements.js';

const loops = deliveryLoopFixture();

// Pacing off, as in the benchmark: pacing would cut a run at the channel's burst.
const NO_PACING: Partial<DeliveryOptions> = {
  retryBaseMs: 60_000,
  settings: () => ({
    retryWindowMs: 3_600_000,
    pacing: { perKeyIntervalMs: 0, perKeyBurst: 1, maxPerSecond: 0 },
  }),
};
const startDelivery = (handlers: Record<string, DeliveryHandler>) => loops.start(handlers, NO_PACING);

/** `count` messages to one channel (a department's posts), numbered 0.. in queue order. */
function queueInOneChannel(db: Db, count: number): void {
  for (let n = 0; n < count; n += 1) {
    enqueueOutbox(
      db,
      { kind: 'k', payload: { n }, dedupeKey: `d${n}`, orderingKey: 'C0BILLING1' },
      Date.now(),
    );
  }
}

const attemptMarks = (db: Db) =>
  db.prepare("SELECT attempt_started_at FROM outbox WHERE status = 'pending' ORDER BY id").pluck().all() as (
    | number
    | null
  )[];

describe('runs: the messages of one conversation taken together', () => {
  it('one look for work serves a run of posts to one channel, not one look per post, in queue order', async () => {
    const db = loops.db;
    const posts = RUN_MAX * 3;
    queueInOneChannel(db, posts);
    let looks = 0;
    const stop = watchStatements(db, (sql) => {
      // The quick look starts each look here (a few due at a time: no walk); the count after it is not another.
      if (sql.includes('INDEXED BY outbox_due') && !sql.includes('SELECT COUNT(*) > ?')) looks += 1;
    });
    const order: number[] = [];
    try {
      const loop = startDelivery({
        k: async (payload) => {
          order.push((payload as { n: number }).n);
        },
      });
      await loop.drain();
      expect(loop.counts()).toMatchObject({ pending: 0, sent: posts });
    } finally {
      stop();
    }
    expect(order).toEqual([...Array(posts).keys()]);
    // One look per run of RUN_MAX posts, and one that finds nothing left (it was one look per post).
    expect(looks).toBeLessThanOrEqual(posts / RUN_MAX + 2);
  });

  it("commits the bookkeeping before a message of another kind starts (an update needs the post's ts), not before one of the same kind", async () => {
    const db = loops.db;
    db.exec('CREATE TABLE made (n INTEGER PRIMARY KEY)');
    const kinds = ['k', 'k', 'k2', 'k', 'k'] as const;
    kinds.forEach((kind, n) => {
      enqueueOutbox(db, { kind, payload: { n }, dedupeKey: `d${n}`, orderingKey: 'C0BILLING1' }, Date.now());
    });
    const seenBefore: number[][] = [];
    const handler: DeliveryHandler = async (payload, ctx) => {
      const { n } = payload as { n: number };
      seenBefore.push(db.prepare('SELECT n FROM made ORDER BY n').pluck().all() as number[]);
      ctx.whenMarkedSent(() => db.prepare('INSERT INTO made (n) VALUES (?)').run(n));
    };
    let commits = 0;
    const stop = watchStatements(db, (sql) => {
      if (sql.startsWith('BEGIN')) commits += 1;
    });
    try {
      const loop = startDelivery({ k: handler, k2: handler });
      await loop.drain();
      expect(loop.counts()).toMatchObject({ pending: 0, sent: 5 });
    } finally {
      stop();
    }
    // The second post goes on without the first's; the k2 message waits for both; so does the post after it.
    expect(seenBefore).toEqual([[], [], [0, 1], [0, 1, 2], [0, 1, 2]]);
    // The look that started the run, two records within it (before the k2 message and the post after it), and
    // the two looks after it (the drain's and the finished run's); a record after each post made it seven.
    expect(commits).toBeLessThanOrEqual(5);
  });

  it('stops at a failure: the rest waits for the retry, with no attempt on record, and then goes in order', async () => {
    const db = loops.db;
    queueInOneChannel(db, 6);
    const attempts: number[] = [];
    let failing = true;
    const loop = startDelivery({
      k: async (payload) => {
        const { n } = payload as { n: number };
        attempts.push(n);
        if (n === 2 && failing) throw new Error('handler bug');
      },
    });
    await loop.drain();
    expect(attempts).toEqual([0, 1, 2]);
    expect(loop.counts()).toMatchObject({ pending: 4, sent: 2 });
    // The failed one is on record as tried; the three behind it were never tried, so they will not look in
    // Slack for posts of theirs first.
    const marks = attemptMarks(db);
    expect(marks[0]).toBeNull(); // a handler error is not an unknown outcome
    expect(marks.slice(1)).toEqual([null, null, null]);
    failing = false;
    db.prepare('UPDATE outbox SET next_attempt_at = 0').run();
    loop.kick();
    await loop.drain();
    expect(attempts).toEqual([0, 1, 2, 2, 3, 4, 5]);
    expect(loop.counts()).toMatchObject({ pending: 0, sent: 6 });
  });

  it('stops taking the next post of a run when the loop stops, and gives back its claim', async () => {
    const db = loops.db;
    queueInOneChannel(db, 4);
    const first = heldCall();
    const attempts: number[] = [];
    let started = () => {};
    const underWay = new Promise<void>((resolve) => {
      started = resolve;
    });
    const loop = startDelivery({
      k: async (payload) => {
        attempts.push((payload as { n: number }).n);
        started();
        await first.underWay;
      },
    });
    await underWay;
    // All four claimed before the first call: every attempt is on record before its call.
    expect(attemptMarks(db).every((mark) => mark !== null)).toBe(true);
    const stopped = loop.stop(5000);
    first.release();
    await stopped;
    expect(attempts).toEqual([0]);
    expect(loop.counts()).toMatchObject({ pending: 3, sent: 1 });
    expect(attemptMarks(db)).toEqual([null, null, null]);
  });
});

describe('the work repeated per post', () => {
  it("does not look over the queue for a request's kick while its conversation is under way", async () => {
    const db = loops.db;
    const { underWay, release } = heldCall();
    const started: number[] = [];
    const loop = startDelivery({
      k: async (payload) => {
        started.push((payload as { n: number }).n);
        await underWay;
      },
    });
    let looks = 0;
    const stop = watchStatements(db, (sql) => {
      // Each look for work starts by noting the newest message (whether it then looks quickly or walks).
      if (sql.includes('SELECT MAX(id) AS id FROM outbox')) looks += 1;
    });
    const queue = (n: number, orderingKey: string) => {
      enqueueOutbox(db, { kind: 'k', payload: { n }, dedupeKey: `d${n}`, orderingKey }, Date.now());
      loop.kick();
    };
    try {
      queue(0, 'C0BILLING1');
      await nextTurn();
      expect(started).toEqual([0]);
      const before = looks;
      // Twenty filings to the same channel, each its own request and turn: none of them can start yet.
      for (let n = 1; n <= 20; n += 1) {
        queue(n, 'C0BILLING1');
        await nextTurn();
      }
      expect(looks - before).toBe(0);
      // A filing to another channel can start: that kick looks, and finds it.
      queue(21, 'C0SHIPPIN1');
      await nextTurn();
      expect(looks - before).toBe(1);
      expect(started).toEqual([0, 21]);
    } finally {
      stop();
      release();
    }
    await loop.drain();
    expect(started).toHaveLength(22);
    expect(loop.counts()).toMatchObject({ pending: 0, sent: 22 });
  });

  it('makes no child logger for a post that logs nothing (one a post was measurable at flat-out intake)', async () => {
    const db = loops.db;
    const root = pino({ level: 'silent' });
    const loop = loops.start({ k: async () => {} }, { ...NO_PACING, logger: root });
    // Child loggers inherit `child` from the root, so this counts every child made below it.
    const children = vi.spyOn(root, 'child');
    queueInOneChannel(db, 10);
    loop.kick();
    await loop.drain();
    expect(loop.counts()).toMatchObject({ pending: 0, sent: 10 });
    expect(children).not.toHaveBeenCalled();
  });

  it('does not look for the rest of a run when pacing holds the channel after its first post', async () => {
    const db = loops.db;
    queueInOneChannel(db, 3);
    const { underWay, release } = heldCall();
    let runLooks = 0;
    const stop = watchStatements(db, (sql) => {
      if (sql.includes('INDEXED BY outbox_pending_order') && sql.includes('id > ?')) runLooks += 1;
    });
    try {
      // Slack's pace with no burst: the channel's first post spends its turn.
      loops.start(
        { k: () => underWay },
        {
          settings: () => ({
            retryWindowMs: 3_600_000,
            pacing: { perKeyIntervalMs: 60_000, perKeyBurst: 1, maxPerSecond: 0 },
          }),
        },
      );
      await nextTurn();
      await nextTurn();
      expect(attemptMarks(db).filter((at) => at !== null)).toHaveLength(1);
      expect(runLooks).toBe(0);
    } finally {
      stop();
      release();
    }
  });

  it('makes no transaction function per look or per post (better-sqlite3 makes five for each)', async () => {
    const db = loops.db;
    const loop = startDelivery({
      k: async (_payload, ctx) => {
        ctx.whenMarkedSent(() => {});
      },
    });
    await loop.drain();
    const made = vi.spyOn(db, 'transaction');
    queueInOneChannel(db, 20);
    loop.kick();
    await loop.drain();
    expect(loop.counts()).toMatchObject({ pending: 0, sent: 20 });
    expect(made).not.toHaveBeenCalled();
  });
});
