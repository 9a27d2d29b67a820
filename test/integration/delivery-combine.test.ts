import { ErrorCode, WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { CombinedHandler, DeliveryHandler, DeliveryOptions } from '../../src/slack/delivery/delivery.js';
import { enqueueOutbox } from '../../src/slack/delivery/outbox-repo.js';
import { COMBINED_RUN_MAX, RUN_MAX } from '../../src/slack/delivery/runs.js';
import type { Db } from '../../src/store/db.js';
import { deliveryLoopFixture } from '../support/delivery-loop.js';
import { startSlackStandIn } from '../support/slack-standin.js';

const loops = deliveryLoopFixture();
const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

const OPTIONS: Partial<DeliveryOptions> = {
  retryBaseMs: 1,
  maxDelayMs: 1,
  settings: () => ({
    retryWindowMs: 3_600_000,
    pacing: { perKeyIntervalMs: 0, perKeyBurst: 1, maxPerSecond: 0 },
  }),
};

const PERSON = 'U0RECIPIENT';

/** Messages to one person, numbered 0.. in queue order, of these kinds. */
function queue(db: Db, kinds: readonly ('k' | 'k2')[]): void {
  kinds.forEach((kind, n) => {
    enqueueOutbox(db, { kind, payload: { n }, dedupeKey: `d${n}`, orderingKey: PERSON }, Date.now());
  });
}

const numbers = (items: readonly { payload: unknown }[]) => items.map((i) => (i.payload as { n: number }).n);

/** A kind whose messages combine: `alone` delivers one, `together` several. */
function combining(alone: DeliveryHandler, together: CombinedHandler): DeliveryHandler {
  const handler: DeliveryHandler = async (payload, ctx) => alone(payload, ctx);
  handler.combine = together;
  return handler;
}

const platformError = (code: string) =>
  Object.assign(new Error(`An API error occurred: ${code}`), {
    code: ErrorCode.PlatformError,
    data: { error: code },
  });

describe('messages of a kind that combines, waiting together in one conversation', () => {
  it('go in one delivery at the place of the first, each recorded; other kinds go alone, after', async () => {
    const db = loops.db;
    db.exec('CREATE TABLE made (n INTEGER PRIMARY KEY)');
    queue(db, ['k', 'k2', 'k', 'k']);
    const done: string[] = [];
    const loop = loops.start(
      {
        k: combining(
          async (payload) => {
            done.push(`k ${(payload as { n: number }).n}`);
          },
          async (items, ctx) => {
            done.push(`k together ${numbers(items).join(',')}`);
            for (const item of items)
              ctx.whenMarkedSent(item.outboxId, () =>
                db.prepare('INSERT INTO made (n) VALUES (?)').run((item.payload as { n: number }).n),
              );
          },
        ),
        k2: async (payload) => {
          done.push(`k2 ${(payload as { n: number }).n}`);
        },
      },
      OPTIONS,
    );
    await loop.drain();
    expect(done).toEqual(['k together 0,2,3', 'k2 1']);
    expect(loop.counts()).toMatchObject({ pending: 0, sent: 4 });
    expect(db.prepare('SELECT n FROM made ORDER BY n').pluck().all()).toEqual([0, 2, 3]);
  });

  it('are taken COMBINED_RUN_MAX at a time, not RUN_MAX: one delivery for 32 waiting DMs, not four', async () => {
    const db = loops.db;
    const waiting = COMBINED_RUN_MAX + RUN_MAX;
    queue(
      db,
      Array.from({ length: waiting }, () => 'k'),
    );
    const deliveries: number[][] = [];
    const loop = loops.start(
      {
        k: combining(
          async (payload) => {
            deliveries.push([(payload as { n: number }).n]);
          },
          async (items) => {
            deliveries.push(numbers(items));
          },
        ),
      },
      OPTIONS,
    );
    await loop.drain();
    expect(loop.counts()).toMatchObject({ pending: 0, sent: waiting });
    const all = [...Array(waiting).keys()];
    expect(deliveries).toEqual([all.slice(0, COMBINED_RUN_MAX), all.slice(COMBINED_RUN_MAX)]);
  });

  it('are tried again alone after a failure, so one bad message is parked alone and the rest go out', async () => {
    const db = loops.db;
    queue(db, ['k', 'k', 'k']);
    const done: string[] = [];
    const loop = loops.start(
      {
        k: combining(
          async (payload) => {
            const { n } = payload as { n: number };
            if (n === 1) throw platformError('channel_not_found');
            done.push(`k ${n}`);
          },
          async (items) => {
            done.push(`k together ${numbers(items).join(',')}`);
            throw platformError('channel_not_found');
          },
        ),
      },
      OPTIONS,
    );
    await loop.drain();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await loop.drain();
    expect(done).toEqual(['k together 0,1,2', 'k 0', 'k 2']);
    expect(loop.counts()).toMatchObject({ pending: 0, sent: 2, dead: 1 });
  });

  it('post once: each, tried again alone after an unknown outcome, finds the one post that named it', async () => {
    const standIn = await startSlackStandIn();
    closing.push(() => standIn.close());
    const client = new WebClient('xoxb-test', { slackApiUrl: standIn.apiUrl, retryConfig: { retries: 0 } });
    const db = loops.db;
    queue(db, ['k', 'k', 'k']);
    let failOnce = true;
    const loop = loops.start(
      {
        k: combining(
          async (payload, ctx) => {
            await ctx.post({ channel: PERSON, text: `alone ${(payload as { n: number }).n}` });
          },
          async (items, ctx) => {
            await ctx.post(
              { channel: PERSON, text: `together ${numbers(items).join(',')}` },
              items.map((i) => i.outboxId),
            );
            // The post landed, but the answer was lost (a timeout, or the process killed here).
            if (failOnce) {
              failOnce = false;
              throw Object.assign(new Error('socket hang up'), { code: ErrorCode.RequestError });
            }
          },
        ),
      },
      { ...OPTIONS, client },
    );
    await loop.drain();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await loop.drain();
    const posts = standIn.callsTo('chat.postMessage');
    expect(posts.map((c) => c.args.text)).toEqual(['together 0,1,2']);
    expect(standIn.callsTo('conversations.history').length).toBe(3);
    expect(loop.counts()).toMatchObject({ pending: 0, sent: 3 });
  });
});
