import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getFeedbackItem } from '../../src/feedback/repo.js';
import { Commands } from '../../src/slack/ids.js';
import { type Harness, SIGNING_SECRET, startHarness } from '../support/app-harness.js';
import { ids } from '../support/org-fixture.js';
import { postToApp, slashCommandBody } from '../support/slack-requests.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const FORM = 'application/x-www-form-urlencoded';
const countItems = () => h.loop.db.prepare('SELECT COUNT(*) FROM feedback_items').pluck().get() as number;
const billingPosts = () =>
  h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === ids.billingChannel);

describe('request signing', () => {
  const body = () =>
    slashCommandBody({
      command: Commands.feedback,
      text: 'invoice wrong',
      user_id: ids.rep,
      response_url: h.standIn.responseUrl(),
    });

  it('accepts a correctly signed request', async () => {
    const res = await postToApp(h.appUrl, { body: body(), contentType: FORM, secret: SIGNING_SECRET });
    expect(res.status).toBe(200);
    expect(countItems()).toBe(1);
  });

  it('refuses a bad signature with 401 and stores nothing', async () => {
    const res = await postToApp(h.appUrl, { body: body(), contentType: FORM, secret: 'not-the-secret' });
    expect(res.status).toBe(401);
    const forged = await postToApp(h.appUrl, {
      body: body(),
      contentType: FORM,
      secret: SIGNING_SECRET,
      signature: `v0=${'0'.repeat(64)}`,
    });
    expect(forged.status).toBe(401);
    expect(countItems()).toBe(0);
  });

  it('refuses a stale timestamp with 401 even when the signature matches it', async () => {
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const res = await postToApp(h.appUrl, {
      body: body(),
      contentType: FORM,
      secret: SIGNING_SECRET,
      timestamp: sixMinutesAgo,
    });
    expect(res.status).toBe(401);
    expect(countItems()).toBe(0);
  });

  it('refuses a timestamp more than 5 minutes ahead, and accepts a clock a few minutes off either way', async () => {
    const at = (minutes: number) => Math.floor(Date.now() / 1000) + minutes * 60;
    const sign = (timestamp: number) =>
      postToApp(h.appUrl, { body: body(), contentType: FORM, secret: SIGNING_SECRET, timestamp });
    expect((await sign(at(10))).status).toBe(401);
    expect(countItems()).toBe(0);
    expect((await sign(at(4))).status).toBe(200);
    expect((await sign(at(-4))).status).toBe(200);
    expect(countItems()).toBe(2);
  });

  it('refuses a request without signature headers', async () => {
    const res = await fetch(h.appUrl, { method: 'POST', headers: { 'content-type': FORM }, body: body() });
    expect(res.status).toBe(401);
    expect(countItems()).toBe(0);
  });

  it('answers a malformed interactivity payload with 400 and stores nothing', async () => {
    const res = await postToApp(h.appUrl, {
      body: 'payload=%7Bnot-json',
      contentType: FORM,
      secret: SIGNING_SECRET,
    });
    expect(res.status).toBe(400);
    expect(countItems()).toBe(0);
  });
});

describe('delivery when Slack misbehaves', () => {
  it('retries after Slack answers 500, and delivers the post exactly once', async () => {
    h.standIn.injectFault('chat.postMessage', { kind: 'http', status: 500 }, 2);
    const res = await h.rep.command(Commands.feedback, 'the invoice charged twice');
    expect(res.json).toMatchObject({ response_type: 'ephemeral' }); // the rep is answered at once regardless
    await h.standIn.waitFor({ method: 'chat.postMessage', count: 3 });
    await h.loop.delivery.drain();
    const ok = billingPosts().filter((c) => c.response.ok);
    expect(billingPosts().filter((c) => c.status === 500)).toHaveLength(2);
    expect(ok).toHaveLength(1);
    expect(h.loop.delivery.counts()).toEqual({ pending: 0, sent: 1, dead: 0 });
    expect(getFeedbackItem(h.loop.db, 1)?.postTs).toBe(ok[0]?.response.ts);
  });

  it("waits as long as Slack's Retry-After asks before posting again", async () => {
    h.standIn.injectFault('chat.postMessage', { kind: 'rateLimited', retryAfterSeconds: 1 }, 1);
    await h.rep.command(Commands.feedback, 'the invoice charged twice');
    const [limited, ok] = await h.standIn.waitFor({ method: 'chat.postMessage', count: 2 }, 5000);
    expect(limited?.status).toBe(429);
    expect(ok?.response.ok).toBe(true);
    expect((ok?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    await h.loop.delivery.drain();
    expect(billingPosts().filter((c) => c.response.ok)).toHaveLength(1);
  });

  it('keeps undelivered posts across a restart and delivers them after it', async () => {
    h.standIn.injectFault('chat.postMessage', { kind: 'http', status: 503 }, 1000);
    await h.rep.command(Commands.feedback, 'the invoice charged twice');
    await h.standIn.waitFor({ method: 'chat.postMessage', count: 1 });
    await h.stopApp();
    expect(h.standIn.callsTo('chat.postMessage').every((c) => c.status === 503)).toBe(true);

    h.standIn.clearFaults();
    await h.startApp();
    await h.standIn.waitFor({ method: 'chat.postMessage', where: (c) => c.response.ok === true });
    await h.loop.delivery.drain();
    expect(billingPosts().filter((c) => c.response.ok)).toHaveLength(1);
    expect(countItems()).toBe(1);
  });

  it('joins a public channel it is not in, then posts', async () => {
    h.standIn.setNotInChannel(ids.billingChannel);
    await h.rep.command(Commands.feedback, 'the invoice charged twice');
    await h.standIn.waitFor({ method: 'chat.postMessage', where: (c) => c.response.ok === true });
    expect(h.standIn.callsTo('conversations.join')[0]?.args).toMatchObject({ channel: ids.billingChannel });
  });

  it('posts an item Slack refuses for good in its department channel (channel_not_found) in triage, and tells the admins once', async () => {
    h.standIn.setChannelNotFound(ids.billingChannel);
    await h.rep.command(Commands.feedback, 'the invoice charged twice');
    await h.rep.command(Commands.feedback, 'another invoice charged twice');
    await h.loop.delivery.drain();
    const triage = h.standIn.messagesIn(ids.triage);
    expect(triage.map((m) => m.text)).toEqual([
      expect.stringContaining('FB-1'),
      expect.stringContaining('FB-2'),
    ]);
    expect(JSON.stringify(triage[0]?.blocks)).toContain(
      `cannot post in <#${ids.billingChannel}> (\`channel_not_found\`)`,
    );
    const alerts = h.standIn.messagesIn(ids.admin);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.text).toContain('fix its ID in the org config');
    expect(h.loop.delivery.counts()).toEqual({ pending: 0, sent: 3, dead: 0 });
    expect(countItems()).toBe(2);
    const health = await fetch(`${h.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'degraded',
      reasons: [`2 delivery failure(s): channel_not_found in ${ids.billingChannel}`],
    });
  });
});

describe('operations', () => {
  it('shows in GET /healthz what the last scheduled tick cost, the longest event-loop pause included', async () => {
    await h.loop.scheduler.tick();
    const lastTick = await vi.waitFor(async () => {
      const body = (await (await fetch(`${h.baseUrl}/healthz`)).json()) as { lastTick?: unknown };
      if (!body.lastTick) throw new Error('no tick reported yet');
      return body.lastTick;
    });
    expect(lastTick).toEqual({
      at: expect.any(Number),
      durationMs: expect.any(Number),
      eventLoopMaxMs: expect.any(Number),
    });
  });

  it('answers GET /healthz', async () => {
    const res = await fetch(`${h.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', outbox: { pending: 0, sent: 0, dead: 0 } });
  });

  it('lets an admin reload the config, keeps the last good one when the file is bad, and refuses non-admins', async () => {
    const admin = h.driverFor({ id: ids.admin, name: 'ada' });
    h.writeOrgConfig(
      'company:\n  name: Acme\n  promise: p\ntriage:\n  chanel: C0TRIAGE01\ndepartments: []\n',
    );
    const bad = await admin.command(Commands.loop, 'reload');
    expect(bad.text).toContain('kept the current one');
    expect(bad.text).toContain('chanel');
    // still routes with the old config
    await h.rep.command(Commands.feedback, 'the invoice charged twice');
    await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === ids.billingChannel,
    });

    const refused = await h.rep.command(Commands.loop, 'reload');
    expect(refused.text).toContain('for Courtesy Loop admins');

    const status = await admin.command(Commands.loop, 'status');
    expect(status.text).toContain('Feedback items stored: 1');

    // Everyone gets the commands they can use; admins also get theirs.
    const help = await h.rep.command(Commands.loop, 'help');
    for (const command of [Commands.feedback, Commands.strategy, Commands.kudos, `${Commands.loop} digest`])
      expect(help.text).toContain(command);
    expect(help.text).not.toContain(`${Commands.loop} reload`);
    expect((await admin.command(Commands.loop, 'help')).text).toContain(`${Commands.loop} reload`);
  });
});

describe('Slack unreachable when the app starts', () => {
  it('starts anyway, answers requests, and confirms its identity once Slack is back', async () => {
    await h.close();
    h = await startHarness({
      beforeStart: (standIn) => standIn.injectFault('auth.test', { kind: 'http', status: 503 }, 2),
    });
    const res = await h.rep.command(Commands.feedback, 'the invoice charged twice');
    expect(res.status).toBe(200);
    expect(res.text).toContain('FB-1');
    await h.standIn.waitFor({ method: 'chat.postMessage', where: (c) => c.response.ok === true });
    // auth.test fails at start and for the next request too; both were still answered
    const second = await h.rep.command(Commands.feedback, 'another invoice issue');
    expect(second.text).toContain('FB-2');
    expect(h.standIn.callsTo('auth.test').every((c) => c.status === 503)).toBe(true);
    await h.rep.command(Commands.feedback, 'a third invoice issue');
    await h.standIn.waitFor({ method: 'auth.test', where: (c) => c.response.ok === true });
    expect(countItems()).toBe(3);
  });

  it("answers within Slack's 3 seconds while auth.test hangs", async () => {
    await h.close();
    h = await startHarness({
      beforeStart: (standIn) => standIn.injectFault('auth.test', { kind: 'timeout', ms: 8000 }, 3),
    });
    const started = Date.now();
    const res = await h.rep.command(Commands.feedback, 'the invoice charged twice');
    expect(res.status).toBe(200);
    expect(res.text).toContain('FB-1');
    expect(Date.now() - started).toBeLessThan(2500);
  });
});
