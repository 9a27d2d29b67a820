import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { Commands } from '../../src/slack/ids.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { type DeliveryTally, inPool, tallyPosts } from '../support/delivery-tally.js';
import { ids } from '../support/org-fixture.js';
import type { Fault } from '../support/slack-standin.js';
import { pollUntil } from '../support/standin/poll.js';

/**
 * Slack misbehaving while feedback keeps coming: down with HTTP 500, refusing connections, hanging on one
 * channel, answering 429. Each case counts what the delivery issue's closing table counts.
 */

let h: Harness;
afterEach(async () => {
  await h.close();
});

const CHANNELS = [ids.billingChannel, ids.shippingChannel, ids.productChannel, ids.triage];
const TEXTS = ['the invoice charged twice', 'the parcel never arrived', 'the app crash on login', 'a remark'];

async function fileBurst(count: number): Promise<number> {
  let acked = 0;
  await inPool(count, 20, async (i) => {
    const res = await h.rep.command(Commands.feedback, `${TEXTS[i % TEXTS.length]} (${i})`);
    if (res.status === 200 && /FB-\d+/.test(res.text)) acked++;
  });
  return acked;
}

const slackCalls = () => h.standIn.calls.filter((c) => c.method !== 'auth.test').length;

async function delivered(): Promise<void> {
  await pollUntil(
    () => (h.loop.delivery.counts().pending === 0 ? true : undefined),
    20_000,
    () => `still pending: ${JSON.stringify(h.loop.delivery.counts())}`,
  );
}

function tally(acked: number, calls: number): DeliveryTally {
  const stored = h.loop.db.prepare('SELECT COUNT(*) FROM feedback_items').pluck().get() as number;
  const result = { acked, stored, ...tallyPosts(h.standIn, CHANNELS), calls };
  console.info(`${expect.getState().currentTestName}: ${JSON.stringify(result)}`);
  return result;
}

/** Every post fails with `fault` for `ms` while `count` items are filed; then Slack recovers. */
async function through(fault: Fault, ms: number, count: number) {
  h = await startHarness();
  h.standIn.injectFault('chat.postMessage', fault, 1_000_000);
  const acked = await fileBurst(count);
  await sleep(ms);
  const callsDuring = slackCalls();
  h.standIn.clearFaults();
  await delivered();
  return tally(acked, callsDuring);
}

const allOnceInOrder = (n: number) => ({ acked: n, stored: n, posted: n, duplicated: 0, outOfOrder: 0 });

describe('Slack failing while feedback comes in', () => {
  it('down with HTTP 500 for 3 s: one shared backoff, then every item once and in order', async () => {
    const t = await through({ kind: 'http', status: 500 }, 3000, 100);
    expect(t).toMatchObject(allOnceInOrder(100));
    // The circuit opens after a few failures and sends one probe at a time (about 2 calls each: a history
    // look-up, since a 500's outcome is unknown, then the post).
    expect(t.calls).toBeLessThan(60);
    expect(h.loop.delivery.counts()).toMatchObject({ dead: 0 });
  });

  it('refusing connections for 2 s: every item once and in order when it is back', async () => {
    h = await startHarness();
    await h.standIn.goOffline();
    const acked = await fileBurst(100);
    await sleep(2000);
    await h.standIn.goOnline();
    await delivered();
    const t = tally(acked, slackCalls());
    expect(t).toMatchObject(allOnceInOrder(100));
    // Nothing was lost to the outage: only the 100 posts (and look-ups for attempts cut off mid-way).
    expect(h.standIn.callsTo('chat.postMessage')).toHaveLength(100);
  });

  it('hanging on one channel: the other channels are not held up, and the hung one catches up in order', async () => {
    h = await startHarness({ slackTimeoutMs: 300 });
    const billing = (args: Record<string, unknown>) => args.channel === ids.billingChannel;
    h.standIn.injectFault('chat.postMessage', { kind: 'hang' }, 1_000_000, billing);
    const acked = await fileBurst(40);
    // Every other channel gets all its posts while billing's calls hang.
    const others = CHANNELS.filter((c) => c !== ids.billingChannel);
    await pollUntil(
      () => (others.every((c) => h.standIn.messagesIn(c).length === 10) ? true : undefined),
      10_000,
      () => `posted: ${others.map((c) => h.standIn.messagesIn(c).length).join(', ')}`,
    );
    expect(h.standIn.messagesIn(ids.billingChannel)).toHaveLength(0);
    const hung = h.standIn.calls.filter((c) => c.fault?.kind === 'hang').length;
    h.standIn.clearFaults();
    await delivered();
    const t = tally(acked, slackCalls());
    expect(t).toMatchObject(allOnceInOrder(40));
    // One call at a time on the hung channel (its ordering key), never a pile of them.
    expect(hung).toBeLessThan(10);
  });

  it('a 429 storm for 2.5 s: one call per Retry-After, then every item once and in order', async () => {
    const t = await through({ kind: 'rateLimited', retryAfterSeconds: 1 }, 2500, 40);
    expect(t).toMatchObject(allOnceInOrder(40));
    // The first calls under way when the storm hit, then one per second.
    expect(t.calls).toBeLessThanOrEqual(12);
  });
});
