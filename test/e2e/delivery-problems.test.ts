import { afterEach, describe, expect, it } from 'vitest';
import { Commands } from '../../src/slack/ids.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { ids } from '../support/org-fixture.js';
import { pollUntil } from '../support/standin/poll.js';
import { manualClock } from '../support/temp-dir.js';

/** Deliveries that cannot be made are never silent: health, the admins, `/loop status` and `/loop retry`. */

let h: Harness;
afterEach(async () => {
  await h.close();
});

const admin = () => h.driverFor({ id: ids.admin, name: 'ada' });
const health = async () => {
  const res = await fetch(`${h.baseUrl}/healthz`);
  return { status: res.status, body: (await res.json()) as { status: string; reasons: string[] } };
};
const until = (check: () => boolean, what: string) =>
  pollUntil(
    () => (check() ? true : undefined),
    5000,
    () => `timed out waiting for ${what}`,
  );
const billingPosts = () => h.standIn.messagesIn(ids.billingChannel);
const adminDms = () => h.standIn.messagesIn(ids.admin);

describe('Slack refusing the bot token', () => {
  it('waits without parking, says so in /healthz and /loop status, and tells the admins once it works again', async () => {
    h = await startHarness();
    h.standIn.injectFault('chat.postMessage', { kind: 'error', error: 'token_revoked' }, 1_000_000);
    for (const text of ['invoice one', 'invoice two', 'invoice three']) {
      await h.rep.command(Commands.feedback, text);
    }
    await until(() => h.standIn.callsTo('chat.postMessage').length >= 2, 'a probe after the refusal');
    expect(await health()).toEqual({
      status: 200,
      body: expect.objectContaining({
        status: 'degraded',
        reasons: [expect.stringContaining('Slack refuses the bot token (token_revoked)')],
      }),
    });
    expect((await admin().command(Commands.loop, 'status')).text).toContain(
      'Slack refuses the bot token (`token_revoked`)',
    );
    expect(h.loop.delivery.counts()).toMatchObject({ pending: 3, dead: 0 });
    // One probe at a time while refused, not the whole queue.
    const refusedCalls = h.standIn.callsTo('chat.postMessage').length;
    expect(refusedCalls).toBeLessThan(10);

    h.standIn.clearFaults();
    await until(() => billingPosts().length === 3 && adminDms().length === 1, 'the posts and the admin DM');
    expect(billingPosts().map((m) => m.text.slice(0, 4))).toEqual(['FB-1', 'FB-2', 'FB-3']);
    expect(adminDms()[0]?.text).toContain("Slack refused the app's token (`token_revoked`)");
    expect(adminDms()[0]?.text).toContain('Reinstall the app');
    expect((await health()).body).toMatchObject({ status: 'ok', reasons: [] });
  });

  it('treats app_uninstalled as a refused token until a delivery succeeds again', async () => {
    h = await startHarness();
    const res = await h.rep.sendEvent({ type: 'app_uninstalled' });
    expect(res.status).toBe(200);
    await until(() => h.loop.delivery.health().tokenRefused === 'app_uninstalled', 'the event to be handled');
    expect((await health()).body.reasons).toEqual([expect.stringContaining('app_uninstalled')]);
    await h.rep.command(Commands.feedback, 'invoice after a reinstall');
    await until(() => billingPosts().length === 1 && adminDms().length === 1, 'the post and the admin DM');
    expect(adminDms()[0]?.text).toContain('`app_uninstalled`');
  });

  it('treats tokens_revoked for the bot token as refused, and ignores a revoked user token', async () => {
    h = await startHarness();
    await h.rep.sendEvent({ type: 'tokens_revoked', tokens: { oauth: ['U0REPAAAA1'] } });
    await h.rep.sendEvent({ type: 'tokens_revoked', tokens: { bot: ['U0BOT'] } });
    await until(() => h.loop.delivery.health().tokenRefused === 'tokens_revoked', 'the bot token event');
  });
});

describe('a delivery Slack keeps failing', () => {
  it('is parked after the retry window, listed by /loop status, reported once, and re-sent by /loop retry', async () => {
    const clock = manualClock(Date.now());
    h = await startHarness({ clock });
    h.standIn.injectFault('chat.postMessage', { kind: 'http', status: 500 }, 1_000_000);
    await h.rep.command(Commands.feedback, 'the invoice charged twice');
    await until(() => h.standIn.callsTo('chat.postMessage').length >= 1, 'the first attempt');
    clock.advance(25 * 3_600_000); // the default window is 24 hours
    await until(() => h.loop.delivery.counts().dead === 1, 'the item to be parked');

    const status = (await admin().command(Commands.loop, 'status')).text;
    expect(status).toContain('1 parked');
    expect(status).toContain('gave up after the retry window: http_500');
    // Slack still answers 500: it is out of reach, and the parked post is a problem of its own.
    expect((await health()).body.reasons).toEqual([
      'Slack cannot be reached; deliveries wait and retry',
      expect.stringContaining('retry_window'),
    ]);

    h.standIn.clearFaults();
    clock.advance(3_600_000);
    await until(() => adminDms().length === 1, 'the admin DM');
    expect(adminDms()[0]?.text).toContain('could not be reached for the whole retry window');
    expect(billingPosts()).toHaveLength(0);

    expect((await admin().command(Commands.loop, 'retry')).text).toContain('Sending 1 parked delivery again');
    await until(() => billingPosts().length === 1, 'the re-sent post');
    expect(h.loop.delivery.counts()).toMatchObject({ pending: 0, dead: 0 });
    expect((await health()).body).toMatchObject({ status: 'ok' });
    expect((await h.rep.command(Commands.loop, 'retry')).text).toContain('for Courtesy Loop admins');
    expect((await admin().command(Commands.loop, 'retry')).text).toContain('Nothing is parked');
  });
});
