import { describe, expect, it } from 'vitest';
import type { Delivery, DeliveryHandler } from '../../src/slack/delivery/delivery.js';
import { laneOf } from '../../src/slack/delivery/lanes.js';
import { enqueueOutbox } from '../../src/slack/delivery/outbox-repo.js';
import type { Db } from '../../src/store/db.js';
import { deliveryLoopFixture, heldCall, nextTurn } from '../support/delivery-loop.js';
import { watchStatements } from '../support/statements.js';

const loops = deliveryLoopFixture();

/** How many times the due-message query runs (once per look for work) while `run` goes on. */
function countDueQueries(db: Db): { count(): number; restore(): void } {
  let n = 0;
  let last = '';
  const restore = watchStatements(db, (sql) => {
    // A look starts with the quick look at the earliest due, or with the walk (when the last look walked);
    // the count of what the quick look read, and a walk right after those two, belong to the same look.
    if (sql.includes('SELECT COUNT(*) > ?')) last = last === 'quick' ? 'quick+count' : 'count';
    else if (sql.includes('INDEXED BY outbox_due')) {
      n += 1;
      last = 'quick';
    } else if (sql.includes('WITH RECURSIVE keys')) {
      if (last !== 'quick+count') n += 1;
      last = 'walk';
    }
  });
  return { count: () => n, restore };
}

/** Queue six messages in six conversations, deliver them all, and return the statements run that `match`. */
async function deliverSixWatching(
  db: Db,
  loop: Delivery,
  match: (sql: string) => boolean,
): Promise<string[]> {
  const seen: string[] = [];
  const stop = watchStatements(db, (sql) => {
    if (match(sql)) seen.push(sql);
  });
  try {
    for (let n = 0; n < 6; n += 1) {
      enqueueOutbox(db, { kind: 'k', payload: { n }, dedupeKey: `d${n}`, orderingKey: `C0CHAN000${n}` }, 0);
    }
    loop.kick();
    await loop.drain();
  } finally {
    stop();
  }
  return seen;
}

/** The loop with a Slack request always in flight; `posted` lists the messages' `n` as they go. */
function startWithRequestInFlight(): { posted: number[]; loop: Delivery } {
  const posted: number[] = [];
  const k: DeliveryHandler = async (payload) => {
    posted.push((payload as { n: number }).n);
  };
  return { posted, loop: loops.start({ k }, { requestsInFlight: () => 1 }) };
}

describe('the delivery loop', () => {
  it('looks for work once for all the kicks of one turn (every request that queues a post kicks it)', async () => {
    const db = loops.db;
    // The call stays under way while we count: a finished call would look for work again.
    const { underWay, release } = heldCall();
    const loop = loops.start({ k: () => underWay });
    await nextTurn();
    const queries = countDueQueries(db);
    try {
      // Something new to look for (a kick with nothing new queued looks for nothing).
      enqueueOutbox(db, { kind: 'k', payload: { n: 0 }, dedupeKey: 'd0', orderingKey: 'C0AAAAAAA1' }, 0);
      for (let i = 0; i < 50; i += 1) loop.kick();
      await nextTurn();
      await nextTurn();
      expect(queries.count()).toBe(1);
    } finally {
      queries.restore();
      release();
    }
  });

  it('looks once when every conversation with work fits in the calls it may start', async () => {
    const db = loops.db;
    // The calls stay under way while we count: a finished call would look for work again.
    const { underWay, release } = heldCall();
    const loop = loops.start({ k: () => underWay });
    await nextTurn();
    ['C0AAAAAAA1', 'C0BBBBBBB1', 'C0CCCCCCC1'].forEach((channel, n) => {
      enqueueOutbox(db, { kind: 'k', payload: { n }, dedupeKey: `d${n}`, orderingKey: channel }, 0);
    });
    const queries = countDueQueries(db);
    try {
      loop.kick();
      await nextTurn();
      await nextTurn();
      // Three conversations, more calls allowed: one look finds all three.
      expect(queries.count()).toBe(1);
    } finally {
      queries.restore();
      release();
    }
  });

  it('records every attempt starting together before any of their calls, in one go', async () => {
    const db = loops.db;
    const channels = ['C0AAAAAAA1', 'C0BBBBBBB1', 'C0CCCCCCC1'];
    channels.forEach((channel, n) => {
      enqueueOutbox(db, { kind: 'k', payload: { n }, dedupeKey: `d${n}`, orderingKey: channel }, 0);
    });
    const seenAtCall: number[] = [];
    const done = new Promise<void>((resolve) => {
      const handler: DeliveryHandler = async () => {
        seenAtCall.push(
          db
            .prepare('SELECT COUNT(*) FROM outbox WHERE attempt_started_at IS NOT NULL')
            .pluck()
            .get() as number,
        );
        if (seenAtCall.length === channels.length) resolve();
      };
      loops.start({ k: handler });
    });
    await done;
    expect(seenAtCall).toEqual([3, 3, 3]);
  });

  it('starts lanes of one channel side by side, but paces them as that one channel', async () => {
    const db = loops.db;
    const { underWay, release } = heldCall();
    const started: string[] = [];
    const keys = [
      laneOf('C0KUDOS001', 1),
      laneOf('C0KUDOS001', 2),
      laneOf('C0KUDOS001', 3),
      laneOf('C0KUDOS001', 1),
    ];
    keys.forEach((orderingKey, n) => {
      enqueueOutbox(db, { kind: 'k', payload: { n }, dedupeKey: `d${n}`, orderingKey }, 0);
    });
    enqueueOutbox(db, { kind: 'k', payload: { n: 9 }, dedupeKey: 'd9', orderingKey: 'C0BILLING1' }, 0);
    try {
      const handlers: Record<string, DeliveryHandler> = {
        k: async (payload) => {
          started.push(String((payload as { n: number }).n));
          await underWay;
        },
      };
      // Two posts a minute per channel at most: the lanes of the kudos channel share those two.
      loops.start(handlers, {
        settings: () => ({
          retryWindowMs: 60_000,
          pacing: { perKeyIntervalMs: 60_000, perKeyBurst: 2, maxPerSecond: 0 },
        }),
      });
      await nextTurn();
      await nextTurn();
      // Two kudos lanes at once (not one at a time), within the channel's pace; another channel is not held up.
      expect(started.sort()).toEqual(['0', '1', '9']);
    } finally {
      release();
    }
  });

  it('marks a burst of deliveries sent together, in the next look for work, and runs each once', async () => {
    const db = loops.db;
    const runs: number[] = [];
    const loop = loops.start({
      k: async (payload) => {
        runs.push((payload as { n: number }).n);
      },
    });
    const marks = await deliverSixWatching(db, loop, (sql) => sql.includes("SET status = 'sent'"));
    expect(runs.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(loop.counts()).toMatchObject({ pending: 0, sent: 6 });
    // Six posts made at once: one statement marks them all (it was one commit per post).
    expect(marks).toHaveLength(1);
  });
});

describe('the bookkeeping of deliveries made (whenMarkedSent)', () => {
  it('is committed with the sent marks in one transaction for a burst, not one per delivery', async () => {
    const db = loops.db;
    db.exec('CREATE TABLE made (n INTEGER PRIMARY KEY)');
    const loop = loops.start({
      k: async (payload, ctx) => {
        const { n } = payload as { n: number };
        ctx.whenMarkedSent(() => db.prepare('INSERT INTO made (n) VALUES (?)').run(n));
      },
    });
    const begins = await deliverSixWatching(db, loop, (sql) => /^BEGIN/i.test(sql.trim()));
    expect(loop.counts()).toMatchObject({ pending: 0, sent: 6 });
    expect(db.prepare('SELECT n FROM made ORDER BY n').pluck().all()).toEqual([0, 1, 2, 3, 4, 5]);
    // The look that started the six and the one that marked them (and recorded what they made): two
    // transactions, where each delivery's own record was one more each.
    expect(begins).toHaveLength(2);
  });

  it('that fails leaves that delivery to be tried again and marks the others sent', async () => {
    const db = loops.db;
    db.exec('CREATE TABLE made (n INTEGER PRIMARY KEY)');
    let failing = true;
    const loop = loops.start({
      k: async (payload, ctx) => {
        const { n } = payload as { n: number };
        ctx.whenMarkedSent(() => {
          if (n === 1 && failing) throw new Error('disk full');
          db.prepare('INSERT OR IGNORE INTO made (n) VALUES (?)').run(n);
        });
      },
    });
    for (let n = 0; n < 3; n += 1) {
      const message = {
        kind: 'k' as const,
        payload: { n },
        dedupeKey: `d${n}`,
        orderingKey: `C0CHAN000${n}`,
      };
      enqueueOutbox(db, message, Date.now());
    }
    loop.kick();
    await loop.drain();
    expect(loop.counts()).toMatchObject({ pending: 1, sent: 2 });
    expect(db.prepare('SELECT n FROM made ORDER BY n').pluck().all()).toEqual([0, 2]);
    const retry = db
      .prepare("SELECT last_error, attempt_started_at FROM outbox WHERE dedupe_key = 'd1'")
      .get();
    // The post may have been made: the next attempt looks for it in Slack before posting again.
    expect(retry).toMatchObject({ last_error: 'disk full', attempt_started_at: expect.any(Number) });
    failing = false;
    db.prepare("UPDATE outbox SET next_attempt_at = 0 WHERE dedupe_key = 'd1'").run();
    loop.kick();
    await loop.drain();
    expect(loop.counts()).toMatchObject({ pending: 0, sent: 3 });
    expect(db.prepare('SELECT n FROM made ORDER BY n').pluck().all()).toEqual([0, 1, 2]);
  });

  it('gives way to a request being answered: its commit, queued in the same turn, goes before the look', async () => {
    const db = loops.db;
    for (const requests of [1, 0]) {
      const order: string[] = [];
      const loop = loops.start({ k: async () => {} }, { requestsInFlight: () => requests });
      await nextTurn();
      const stop = watchStatements(db, (sql) => {
        if (sql.includes('INDEXED BY outbox_due') && !sql.includes('COUNT(*)')) order.push('look');
      });
      try {
        enqueueOutbox(
          db,
          { kind: 'k', payload: { n: requests }, dedupeKey: `d${requests}`, orderingKey: 'C1' },
          0,
        );
        loop.kick();
        // As createGroupCommit queues a request's commit: on the next turn, after the kick's.
        setImmediate(() => order.push('commit'));
        for (let turn = 0; turn < 3; turn += 1) await nextTurn();
        await loop.drain();
      } finally {
        stop();
      }
      // With nobody waiting, the look keeps its place in the queue.
      expect(order.slice(0, 2)).toEqual(requests > 0 ? ['commit', 'look'] : ['look', 'commit']);
      await loop.stop(1000);
    }
  });

  it('gives way once per look, so requests that never stop do not hold deliveries back', async () => {
    const db = loops.db;
    const { posted, loop } = startWithRequestInFlight();
    for (let n = 0; n < 5; n += 1) {
      enqueueOutbox(db, { kind: 'k', payload: { n }, dedupeKey: `d${n}`, orderingKey: `C${n}` }, 0);
    }
    loop.kick();
    // Within a few turns of the event loop, not at the next poll (drain would pump by itself).
    for (let turn = 0; turn < 50 && posted.length < 5; turn += 1) await nextTurn();
    expect(posted.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('starts nothing once stopped, though a look was already queued (and moved behind a request)', async () => {
    const db = loops.db;
    const { posted, loop } = startWithRequestInFlight();
    await nextTurn();
    enqueueOutbox(db, { kind: 'k', payload: { n: 1 }, dedupeKey: 'd1', orderingKey: 'C1' }, 0);
    loop.kick();
    await nextTurn(); // the look gives way to the request: it is queued for the next turn
    await loop.stop(1000);
    for (let turn = 0; turn < 5; turn += 1) await nextTurn();
    expect(posted).toEqual([]);
    expect(loop.counts()).toMatchObject({ pending: 1 });
  });
});
