import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, verifySlackRequest } from '@slack/bolt';
import type { KnownBlock, ModalView, SectionBlock } from '@slack/web-api';
import {
  ErrorCode,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
} from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateMessageBlocks, validateView } from '../support/block-kit-limits.js';
import {
  createSlackDriver,
  plainTextInputValue,
  postToApp,
  signSlackRequest,
  slashCommandBody,
  staticSelectValue,
} from '../support/slack-requests.js';
import { type SlackStandIn, startSlackStandIn } from '../support/slack-standin.js';

const section = (text: string, blockId?: string): SectionBlock => ({
  type: 'section',
  ...(blockId !== undefined ? { block_id: blockId } : {}),
  text: { type: 'mrkdwn', text },
});

const modal = (title: string, blocks: KnownBlock[] = [section('hi')]): ModalView => ({
  type: 'modal',
  callback_id: 'feedback_form',
  title: { type: 'plain_text', text: title },
  close: { type: 'plain_text', text: 'Cancel' },
  blocks,
});

/** The error a promise rejects with (fails the test when it resolves). */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to be rejected, but it resolved');
}

async function platformErrorOf(promise: Promise<unknown>): Promise<WebAPIPlatformError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(WebAPIPlatformError);
  return error as WebAPIPlatformError;
}

describe('Slack stand-in with a real WebClient', () => {
  let standIn: SlackStandIn;
  let client: WebClient;

  beforeEach(async () => {
    standIn = await startSlackStandIn();
    client = new WebClient('xoxb-test', {
      slackApiUrl: standIn.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logLevel: LogLevel.ERROR,
    });
  });

  afterEach(async () => {
    await standIn.close();
  });

  it('listens on 127.0.0.1 with an /api/ base URL', () => {
    expect(standIn.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  });

  it('answers auth.test as the bot of workspace T0TEST', async () => {
    const result = await client.auth.test();
    expect(result).toMatchObject({ ok: true, team_id: 'T0TEST', user_id: 'U0BOT', bot_id: 'B0BOT' });
    expect(result.url).toBe('https://test.slack.com/');
  });

  it('records chat.postMessage with its blocks parsed and answers with a ts and the message', async () => {
    const blocks = [section('Hello *there*', 'b1'), { type: 'divider' }];
    const result = await client.chat.postMessage({ channel: 'C0GENERAL', text: 'Hello there', blocks });

    expect(result.ok).toBe(true);
    expect(result.channel).toBe('C0GENERAL');
    expect(result.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(result.message).toMatchObject({
      type: 'message',
      text: 'Hello there',
      user: 'U0BOT',
      bot_id: 'B0BOT',
    });

    const call = standIn.lastCall('chat.postMessage');
    expect(call?.token).toBe('xoxb-test');
    expect(call?.contentType).toBe('application/x-www-form-urlencoded');
    expect(call?.args.blocks).toEqual(blocks);
    expect(call?.args.text).toBe('Hello there');
    expect(call?.response.ts).toBe(result.ts);
  });

  it('hands out unique, increasing message timestamps', async () => {
    const first = await client.chat.postMessage({ channel: 'C1', text: 'one' });
    const second = await client.chat.postMessage({ channel: 'C1', text: 'two' });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    // Slack's ts is the posting time in seconds: history's `oldest` filters by it.
    expect(Math.abs(Number(first.ts) * 1000 - Date.now())).toBeLessThan(60_000);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(standIn.messagesIn('C1').map((m) => m.text)).toEqual(['one', 'two']);
  });

  it('answers conversations.history newest first, in pages, with the metadata each message was posted with', async () => {
    const before = (Date.now() / 1000 - 1).toFixed(6);
    const metadata = { event_type: 'courtesy_loop_delivery', event_payload: { outbox_id: 7, step: 0 } };
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'one', metadata });
    await client.chat.postMessage({ channel: 'C1', text: 'reply', thread_ts: posted.ts as string });
    await client.chat.postMessage({ channel: 'C1', text: 'two' });
    const first = await client.conversations.history({ channel: 'C1', oldest: before, limit: 1 });
    expect(first.messages?.map((m) => m.text)).toEqual(['two']);
    expect(first.has_more).toBe(true);
    const next = await client.conversations.history({
      channel: 'C1',
      oldest: before,
      limit: 1,
      cursor: first.response_metadata?.next_cursor as string,
    });
    expect(next.messages?.[0]).toMatchObject({ text: 'one', ts: posted.ts, metadata, reply_count: 1 });
    expect(next.response_metadata?.next_cursor).toBe('');
    const later = await client.conversations.history({ channel: 'C1', oldest: posted.ts as string });
    expect(later.messages?.map((m) => m.text)).toEqual(['two']);
    const thread = await client.conversations.replies({ channel: 'C1', ts: posted.ts as string });
    expect(thread.messages?.map((m) => m.text)).toEqual(['one', 'reply']);
    await expect(client.conversations.history({ channel: 'U0REP' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
  });

  it('accepts 50 blocks and rejects 51 with invalid_blocks', async () => {
    const blocks = (n: number) => Array.from({ length: n }, (_, i) => section(`line ${i}`));
    await expect(
      client.chat.postMessage({ channel: 'C1', text: 'ok', blocks: blocks(50) }),
    ).resolves.toMatchObject({
      ok: true,
    });

    const error = await platformErrorOf(
      client.chat.postMessage({ channel: 'C1', text: 'x', blocks: blocks(51) }),
    );
    expect(error.code).toBe(ErrorCode.PlatformError);
    expect(error.data.error).toBe('invalid_blocks');
    expect(error.data.response_metadata?.messages).toEqual([
      '[ERROR] must provide no more than 50 items [json-pointer:/blocks]',
    ]);
    expect(standIn.lastCall('chat.postMessage')?.response.ok).toBe(false);
  });

  it('accepts section text of 3000 characters and rejects 3001', async () => {
    await expect(
      client.chat.postMessage({ channel: 'C1', text: 'ok', blocks: [section('a'.repeat(3000))] }),
    ).resolves.toMatchObject({ ok: true });

    const error = await platformErrorOf(
      client.chat.postMessage({ channel: 'C1', text: 'x', blocks: [section('a'.repeat(3001))] }),
    );
    expect(error.data.error).toBe('invalid_blocks');
    expect(error.data.response_metadata?.messages).toEqual([
      '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
    ]);
  });

  it('enforces limits on chat.update too', async () => {
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'v1' });
    const error = await platformErrorOf(
      // apiCall: the typed method would not even let us send a mrkdwn header.
      client.apiCall('chat.update', {
        channel: 'C1',
        ts: String(posted.ts),
        text: 'v2',
        blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'not plain' } }],
      }),
    );
    expect(error.data.error).toBe('invalid_blocks');
    expect(standIn.findMessage('C1', String(posted.ts))?.text).toBe('v1');

    await client.chat.update({ channel: 'C1', ts: String(posted.ts), text: 'v2' });
    expect(standIn.findMessage('C1', String(posted.ts))?.text).toBe('v2');
  });

  it('answers msg_too_long over 40,000 characters and no_text without text or blocks', async () => {
    expect(
      (await platformErrorOf(client.chat.postMessage({ channel: 'C1', text: 'a'.repeat(40_001) }))).data
        .error,
    ).toBe('msg_too_long');
    expect((await platformErrorOf(client.chat.postMessage({ channel: 'C1', text: '' }))).data.error).toBe(
      'no_text',
    );
  });

  it('opens a modal with a 24-character title and rejects a 25-character one', async () => {
    const opened = await client.views.open({
      trigger_id: standIn.issueTriggerId(),
      view: modal('x'.repeat(24)),
    });
    expect(opened.view?.id).toMatch(/^V/);
    expect(opened.view?.callback_id).toBe('feedback_form');
    expect(opened.view?.hash).toBeTruthy();

    const error = await platformErrorOf(
      client.views.open({ trigger_id: standIn.issueTriggerId(), view: modal('x'.repeat(25)) }),
    );
    expect(error.data.error).toBe('invalid_arguments');
    expect(error.data.response_metadata?.messages).toEqual([
      '[ERROR] must be less than 25 characters [json-pointer:/view/title/text]',
    ]);
  });

  it('exchanges a trigger_id once, and not after it expired', async () => {
    const trigger = standIn.issueTriggerId();
    await client.views.open({ trigger_id: trigger, view: modal('Feedback') });
    const again = await platformErrorOf(client.views.open({ trigger_id: trigger, view: modal('Feedback') }));
    expect(again.data.error).toBe('exchanged_trigger_id');

    const quick = await startSlackStandIn({ triggerTtlMs: 0 });
    try {
      const quickClient = new WebClient('xoxb-test', {
        slackApiUrl: quick.apiUrl,
        retryConfig: { retries: 0 },
      });
      const stale = quick.issueTriggerId();
      await new Promise((resolve) => setTimeout(resolve, 5));
      const expired = await platformErrorOf(
        quickClient.views.open({ trigger_id: stale, view: modal('Feedback') }),
      );
      expect(expired.data.error).toBe('expired_trigger_id');
    } finally {
      await quick.close();
    }
  });

  it('refuses views.update with a stale hash', async () => {
    const opened = await client.views.open({ trigger_id: standIn.issueTriggerId(), view: modal('One') });
    const viewId = String(opened.view?.id);
    const updated = await client.views.update({
      view_id: viewId,
      hash: String(opened.view?.hash),
      view: modal('Two'),
    });
    expect(updated.view?.id).toBe(viewId);
    expect(updated.view?.hash).not.toBe(opened.view?.hash);

    const stale = await platformErrorOf(
      client.views.update({ view_id: viewId, hash: String(opened.view?.hash), view: modal('Three') }),
    );
    expect(stale.data.error).toBe('hash_conflict');
  });

  it('publishes a Home tab per user', async () => {
    const home = { type: 'home' as const, blocks: [section('Welcome home')] };
    const first = await client.views.publish({ user_id: 'U0ALICE', view: home });
    const second = await client.views.publish({ user_id: 'U0ALICE', view: home });
    expect(second.view?.id).toBe(first.view?.id);
    expect(standIn.homeView('U0ALICE')?.type).toBe('home');
  });

  it('surfaces a 429 with Retry-After as a rate-limited error', async () => {
    standIn.injectFault('chat.postMessage', { kind: 'rateLimited', retryAfterSeconds: 7 });
    const error = await rejectionOf(client.chat.postMessage({ channel: 'C1', text: 'hi' }));
    expect(error).toBeInstanceOf(WebAPIRateLimitedError);
    expect((error as WebAPIRateLimitedError).code).toBe(ErrorCode.RateLimitedError);
    expect((error as WebAPIRateLimitedError).retryAfter).toBe(7);

    const call = standIn.lastCall('chat.postMessage');
    expect(call?.status).toBe(429);
    expect(call?.fault).toEqual({ kind: 'rateLimited', retryAfterSeconds: 7 });
    // The fault was for one call only.
    await expect(client.chat.postMessage({ channel: 'C1', text: 'hi' })).resolves.toMatchObject({ ok: true });
  });

  it('surfaces an HTTP 500 as an HTTP error', async () => {
    standIn.injectFault('chat.postMessage', { kind: 'http', status: 500 });
    const error = await rejectionOf(client.chat.postMessage({ channel: 'C1', text: 'hi' }));
    expect(error).toBeInstanceOf(WebAPIHTTPError);
    expect((error as WebAPIHTTPError).code).toBe(ErrorCode.HTTPError);
    expect((error as WebAPIHTTPError).statusCode).toBe(500);
    expect(standIn.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('answers an injected ok:false error, as many times as asked', async () => {
    standIn.injectFault('users.info', { kind: 'error', error: 'fatal_error' }, 2);
    for (let i = 0; i < 2; i++) {
      expect((await platformErrorOf(client.users.info({ user: 'U1' }))).data.error).toBe('fatal_error');
    }
    await expect(client.users.info({ user: 'U1' })).resolves.toMatchObject({ ok: true });
  });

  it('holds a timed-out answer after doing the work, so the client gives up but the message exists', async () => {
    standIn.injectFault('chat.postMessage', { kind: 'timeout', ms: 1000 });
    const impatient = new WebClient('xoxb-test', {
      slackApiUrl: standIn.apiUrl,
      retryConfig: { retries: 0 },
      timeout: 100,
    });
    const error = await rejectionOf(impatient.chat.postMessage({ channel: 'C1', text: 'slow' }));
    expect(error).toBeInstanceOf(WebAPIRequestError);
    expect(standIn.messagesIn('C1').map((m) => m.text)).toEqual(['slow']);
  });

  it('rate-limits with a token bucket', async () => {
    standIn.setRateLimit('chat.postMessage', { perSecond: 1, burst: 2, retryAfterSeconds: 3 });
    await client.chat.postMessage({ channel: 'C1', text: '1' });
    await client.chat.postMessage({ channel: 'C1', text: '2' });
    const error = await rejectionOf(client.chat.postMessage({ channel: 'C1', text: '3' }));
    expect((error as WebAPIRateLimitedError).retryAfter).toBe(3);
    expect(standIn.messagesIn('C1')).toHaveLength(2);
  });

  it('answers not_in_channel until conversations.join', async () => {
    standIn.setNotInChannel('C0PRIVATE');
    const refused = await platformErrorOf(client.chat.postMessage({ channel: 'C0PRIVATE', text: 'hi' }));
    expect(refused.data.error).toBe('not_in_channel');

    const joined = await client.conversations.join({ channel: 'C0PRIVATE' });
    expect(joined.channel?.id).toBe('C0PRIVATE');
    await expect(client.chat.postMessage({ channel: 'C0PRIVATE', text: 'hi' })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('answers channel_not_found for a missing channel, and posts to a user id in the DM', async () => {
    standIn.setChannelNotFound('C0GONE');
    expect(
      (await platformErrorOf(client.chat.postMessage({ channel: 'C0GONE', text: 'hi' }))).data.error,
    ).toBe('channel_not_found');

    const dm = await client.chat.postMessage({ channel: 'U0ALICE', text: 'psst' });
    const opened = await client.conversations.open({ users: 'U0ALICE' });
    expect(dm.channel).toMatch(/^D/);
    expect(opened.channel?.id).toBe(dm.channel);
    expect(standIn.messagesIn('U0ALICE').map((m) => m.text)).toEqual(['psst']);
  });

  it('answers users.info with configured users, defaulting to a human in New York', async () => {
    standIn.setUser({ id: 'U0TOKYO', tz: 'Asia/Tokyo', real_name: 'Kenji' });
    const tokyo = await client.users.info({ user: 'U0TOKYO' });
    expect(tokyo.user).toMatchObject({ id: 'U0TOKYO', tz: 'Asia/Tokyo', tz_offset: 9 * 3600, is_bot: false });
    expect(tokyo.user?.profile?.real_name).toBe('Kenji');

    const someone = await client.users.info({ user: 'U0SOMEONE' });
    expect(someone.user).toMatchObject({ tz: 'America/New_York', is_bot: false, deleted: false });
    expect([-5 * 3600, -4 * 3600]).toContain(someone.user?.tz_offset);

    standIn.setUserNotFound('U0NOBODY');
    expect((await platformErrorOf(client.users.info({ user: 'U0NOBODY' }))).data.error).toBe(
      'user_not_found',
    );
  });

  it('answers chat.getPermalink and chat.postEphemeral', async () => {
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'hi' });
    const link = await client.chat.getPermalink({ channel: 'C1', message_ts: String(posted.ts) });
    expect(link.permalink).toBe(`https://test.slack.com/archives/C1/p${String(posted.ts).replace('.', '')}`);
    const ephemeral = await client.chat.postEphemeral({ channel: 'C1', user: 'U0ALICE', text: 'only you' });
    expect(ephemeral.message_ts).toMatch(/^\d+\.\d{6}$/);
  });

  it('takes a files.uploadV2 upload through its three steps', async () => {
    const result = await client.filesUploadV2({
      channel_id: 'C1',
      filename: 'export.csv',
      title: 'Export',
      content: 'a,b\n1,2\n',
    });
    expect(result.ok).toBe(true);
    expect(standIn.callsTo('files.getUploadURLExternal')).toHaveLength(1);
    expect(standIn.uploads).toHaveLength(1);
    expect(standIn.uploads[0]?.bytes.toString()).toBe('a,b\n1,2\n');
    const completed = standIn.lastCall('files.completeUploadExternal');
    expect(completed?.args.files).toEqual([{ id: standIn.uploads[0]?.fileId, title: 'Export' }]);
    expect(completed?.response.files).toEqual([{ id: standIn.uploads[0]?.fileId, title: 'Export' }]);
  });

  it('answers not_authed, invalid_auth and unknown_method as Slack does', async () => {
    const post = (method: string, headers: Record<string, string>) =>
      fetch(`${standIn.apiUrl}${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: 'channel=C1&text=hi',
      }).then((r) => r.json());
    expect(await post('chat.postMessage', {})).toEqual({ ok: false, error: 'not_authed' });
    expect(await post('chat.postMessage', { authorization: 'Bearer xoxp-user' })).toEqual({
      ok: false,
      error: 'invalid_auth',
    });
    expect(await post('chat.summonDragons', { authorization: 'Bearer xoxb-test' })).toEqual({
      ok: false,
      error: 'unknown_method',
    });
  });

  it('accepts JSON bodies and a token argument', async () => {
    const response = await fetch(`${standIn.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ token: 'xoxb-json', channel: 'C1', text: 'hi', blocks: [section('json')] }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: 'C1' });
    const call = standIn.lastCall('chat.postMessage');
    expect(call?.token).toBe('xoxb-json');
    expect(call?.contentType).toBe('application/json');
    expect(call?.args.blocks).toEqual([section('json')]);
    expect(call?.args).not.toHaveProperty('token');
  });

  it('waits for calls, and says what it saw when they never come', async () => {
    setTimeout(() => void client.chat.postMessage({ channel: 'C1', text: 'later' }), 20);
    const calls = await standIn.waitFor({ method: 'chat.postMessage', count: 1 }, 2000);
    expect(calls[0]?.args.text).toBe('later');

    await client.auth.test();
    const error = await rejectionOf(standIn.waitFor({ method: 'views.open' }, 50));
    expect(String(error)).toContain('waiting for 1 call(s) to views.open');
    expect(String(error)).toContain('calls seen: chat.postMessage, auth.test');

    const byPredicate = await standIn.waitFor((c) => c.method === 'auth.test' && c.response.ok, 50);
    expect(byPredicate).toHaveLength(1);
  });

  it('records posts to a response_url and answers ok, up to five times', async () => {
    const url = standIn.responseUrl('cmd1');
    const post = (body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const first = await post({ text: 'Thanks!', response_type: 'ephemeral' });
    expect(first.status).toBe(200);
    expect(await first.text()).toBe('ok');
    expect(await standIn.waitForResponse(1, 1000)).toEqual([
      expect.objectContaining({
        id: 'cmd1',
        body: { text: 'Thanks!', response_type: 'ephemeral' },
        status: 200,
      }),
    ]);

    expect((await post({ blocks: [section('a'.repeat(3001))] })).status).toBe(400);
    for (let i = 0; i < 4; i++) await post({ text: `again ${i}` });
    expect((await post({ text: 'one too many' })).status).toBe(404);
  });

  it('closes with a held answer pending', async () => {
    standIn.injectFault('auth.test', { kind: 'timeout', ms: 60_000 });
    const pending = client.auth.test().catch((error: unknown) => error);
    await standIn.waitFor({ method: 'auth.test' }, 2000);
    await standIn.close();
    expect(await pending).toBeInstanceOf(Error);
    standIn = await startSlackStandIn(); // for afterEach
  });
});

describe('block kit limits', () => {
  it('accepts a typical message', () => {
    expect(
      validateMessageBlocks([
        { type: 'header', text: { type: 'plain_text', text: 'New feedback' } },
        { type: 'section', fields: [{ type: 'mrkdwn', text: '*From*\nAcme' }] },
        {
          type: 'actions',
          block_id: 'act',
          elements: [
            {
              type: 'button',
              action_id: 'ack',
              text: { type: 'plain_text', text: 'Acknowledge' },
              value: '42',
            },
            {
              type: 'button',
              action_id: 'open',
              text: { type: 'plain_text', text: 'Open' },
              url: 'https://x.test',
            },
          ],
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'via Courtesy Loop' }] },
      ]),
    ).toEqual([]);
  });

  it('reports each broken limit with a JSON pointer', () => {
    const problems = validateMessageBlocks([
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
      {
        type: 'section',
        block_id: 'dup',
        fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })),
      },
      {
        type: 'actions',
        block_id: 'dup',
        elements: [
          {
            type: 'button',
            action_id: 'a',
            text: { type: 'plain_text', text: 'b'.repeat(76) },
            value: 'v'.repeat(2001),
          },
          { type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'ok' } },
        ],
      },
      { type: 'section', text: { type: 'mrkdwn', text: '' } },
      { type: 'carousel' },
    ]);
    expect(problems).toEqual([
      'must be less than 151 characters [json-pointer:/blocks/0/text/text]',
      'must provide no more than 10 items [json-pointer:/blocks/1/fields]',
      'non-unique block_id: dup [json-pointer:/blocks/2/block_id]',
      'must be less than 76 characters [json-pointer:/blocks/2/elements/0/text/text]',
      'must be less than 2001 characters [json-pointer:/blocks/2/elements/0/value]',
      'duplicate action_id: a [json-pointer:/blocks/2/elements/1/action_id]',
      'must be more than 0 characters [json-pointer:/blocks/3/text/text]',
      'unsupported block type: carousel [json-pointer:/blocks/4/type]',
    ]);
  });

  it('checks select options and text inputs in a modal', () => {
    const options = (n: number, text = 'opt') =>
      Array.from({ length: n }, (_, i) => ({ text: { type: 'plain_text', text }, value: `v${i}` }));
    const view = {
      type: 'modal',
      title: { type: 'plain_text', text: 'Feedback' },
      submit: { type: 'plain_text', text: 'Send' },
      private_metadata: 'm'.repeat(3001),
      blocks: [
        {
          type: 'input',
          block_id: 'kind',
          label: { type: 'plain_text', text: 'Kind' },
          element: { type: 'static_select', action_id: 'kind', options: options(101) },
        },
        {
          type: 'input',
          block_id: 'choice',
          label: { type: 'plain_text', text: 'Choice' },
          element: { type: 'static_select', action_id: 'choice', options: options(2, 'o'.repeat(76)) },
        },
        {
          type: 'input',
          block_id: 'body',
          label: { type: 'plain_text', text: 'Body' },
          element: { type: 'plain_text_input', action_id: 'body', max_length: 3001 },
        },
      ],
    };
    expect(validateView(view)).toEqual([
      'must provide no more than 100 items [json-pointer:/view/blocks/0/element/options]',
      'must be less than 76 characters [json-pointer:/view/blocks/1/element/options/0/text/text]',
      'must be less than 76 characters [json-pointer:/view/blocks/1/element/options/1/text/text]',
      'must be less than or equal to 3000 [json-pointer:/view/blocks/2/element/max_length]',
      'must be less than 3001 characters [json-pointer:/view/private_metadata]',
    ]);
  });

  it('allows 100 blocks in a view and not 101', () => {
    const blocks = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));
    expect(validateView({ type: 'home', blocks: blocks(100) })).toEqual([]);
    expect(validateView({ type: 'home', blocks: blocks(101) })).toEqual([
      'must provide no more than 100 items [json-pointer:/view/blocks]',
    ]);
  });
});

describe('signing requests as Slack does', () => {
  it('produces a signature an independent HMAC computation and Bolt both accept', () => {
    const secret = 'test-signing-secret';
    const body = 'token=x&command=%2Ffeedback&text=hello+world';
    const timestamp = 1_700_000_000;
    const headers = signSlackRequest(secret, body, timestamp);

    const expected = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    expect(headers['x-slack-request-timestamp']).toBe('1700000000');
    expect(timingSafeEqual(Buffer.from(headers['x-slack-signature']), Buffer.from(expected))).toBe(true);

    expect(() =>
      verifySlackRequest({
        signingSecret: secret,
        body,
        headers: {
          'x-slack-signature': headers['x-slack-signature'],
          'x-slack-request-timestamp': timestamp,
        },
        nowMilliseconds: timestamp * 1000,
      }),
    ).not.toThrow();
    expect(signSlackRequest('another-secret', body, timestamp)['x-slack-signature']).not.toBe(expected);
  });

  it('builds slash command bodies with Slack form fields and a fresh trigger_id each time', () => {
    const first = new URLSearchParams(slashCommandBody({ command: '/feedback', text: 'hi <@U1|bob>' }));
    const second = new URLSearchParams(slashCommandBody());
    expect(first.get('command')).toBe('/feedback');
    expect(first.get('text')).toBe('hi <@U1|bob>');
    for (const field of [
      'token',
      'team_id',
      'team_domain',
      'channel_id',
      'user_id',
      'api_app_id',
      'response_url',
    ]) {
      expect(first.get(field), field).toBeTruthy();
    }
    expect(first.get('trigger_id')).not.toBe(second.get('trigger_id'));
  });
});

describe('driving a Bolt app through the stand-in', () => {
  const secret = 'driver-test-secret';
  let standIn: SlackStandIn;
  let app: App;
  let server: Server;
  let appUrl: string;
  const seen: string[] = [];

  beforeEach(async () => {
    seen.length = 0;
    standIn = await startSlackStandIn();
    app = new App({
      token: 'xoxb-test',
      signingSecret: secret,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: standIn.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/feedback', async ({ ack, command, client, respond }) => {
      await ack();
      await client.views.open({
        trigger_id: command.trigger_id,
        view: {
          ...modal('Feedback', [
            {
              type: 'input',
              block_id: 'body',
              label: { type: 'plain_text', text: 'What happened?' },
              element: { type: 'plain_text_input', action_id: 'body' },
            },
            {
              type: 'input',
              block_id: 'kind',
              label: { type: 'plain_text', text: 'Kind' },
              element: {
                type: 'static_select',
                action_id: 'kind',
                options: [{ text: { type: 'plain_text', text: 'Praise' }, value: 'praise' }],
              },
            },
          ]),
          submit: { type: 'plain_text', text: 'Send' },
          private_metadata: command.channel_id,
        },
      });
      await respond({ text: `Opening a form for ${command.text}`, response_type: 'ephemeral' });
    });
    app.view('feedback_form', async ({ ack, view, body }) => {
      const text = view.state.values.body?.body?.value ?? '';
      if (text.length < 3) {
        await ack({ response_action: 'errors', errors: { body: 'Too short' } });
        return;
      }
      await ack();
      seen.push(
        `${body.user.id}:${view.private_metadata}:${text}:${view.state.values.kind?.kind?.selected_option?.value}`,
      );
      await app.client.chat.postMessage({
        channel: view.private_metadata,
        text: 'Feedback received',
        blocks: [
          section('Feedback received', 'summary'),
          {
            type: 'actions',
            block_id: 'act',
            elements: [
              {
                type: 'button',
                action_id: 'resolve',
                value: 'fb-1',
                text: { type: 'plain_text', text: 'Resolve' },
              },
            ],
          },
        ],
      });
    });
    app.action('resolve', async ({ ack, body, action }) => {
      await ack();
      if (body.type === 'block_actions' && action.type === 'button') {
        seen.push(`clicked:${action.value}:${body.container.message_ts}:${body.channel?.id}`);
      }
    });
    app.shortcut('forward_feedback', async ({ ack, shortcut }) => {
      await ack();
      if (shortcut.type === 'message_action') seen.push(`shortcut:${shortcut.message.text}`);
    });
    app.event('app_home_opened', async ({ event, context }) => {
      seen.push(`home:${event.user}:${context.retryNum ?? 0}`);
    });
    server = (await app.start(0)) as Server;
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterEach(async () => {
    await app.stop();
    await standIn.close();
  });

  it('runs a command, a modal submission and a button click end to end', async () => {
    const driver = createSlackDriver({ appUrl, secret, standIn });

    const command = await driver.command('/feedback', 'Acme');
    expect(command.status).toBe(200);
    await standIn.waitFor({ method: 'views.open' });
    const [reply] = await standIn.waitForResponse(1, 2000, command.responseUrlId);
    expect(reply?.body).toEqual({ text: 'Opening a form for Acme', response_type: 'ephemeral' });

    const tooShort = await driver.submitView({
      callbackId: 'feedback_form',
      values: { body: { body: plainTextInputValue('no') } },
    });
    expect(tooShort.json).toEqual({ response_action: 'errors', errors: { body: 'Too short' } });

    const submitted = await driver.submitView({
      callbackId: 'feedback_form',
      values: {
        body: { body: plainTextInputValue('Great support') },
        kind: { kind: staticSelectValue({ value: 'praise', text: 'Praise' }) },
      },
    });
    expect(submitted.status).toBe(200);
    const opened = standIn.lastCall('views.open')?.response.view as { id: string } | undefined;
    expect(submitted.payload.view.id).toBe(opened?.id);
    expect(submitted.payload.view.private_metadata).toBe('C0GENERAL');
    const [posted] = await standIn.waitFor({ method: 'chat.postMessage' });
    expect(seen).toContain('U0ALICE:C0GENERAL:Great support:praise');

    const click = await driver.clickButton({ actionId: 'resolve' });
    expect(click.status).toBe(200);
    expect(click.payload.actions[0]).toMatchObject({ action_id: 'resolve', block_id: 'act', value: 'fb-1' });
    expect(seen).toContain(`clicked:fb-1:${String(posted?.response.ts)}:C0GENERAL`);
  });

  it('sends message shortcuts and events, with retry headers', async () => {
    const driver = createSlackDriver({ appUrl, secret, standIn });
    const shortcut = await driver.messageShortcut('forward_feedback', { text: 'the customer said thanks' });
    expect(shortcut.status).toBe(200);
    expect(shortcut.payload.response_url).toContain(standIn.baseUrl);

    const first = await driver.sendEvent({
      type: 'app_home_opened',
      user: 'U0BOB',
      channel: 'DU0BOB',
      tab: 'home',
      event_ts: '1.2',
    });
    await driver.sendEvent(first.payload.event, { eventId: first.payload.event_id, retryNum: 1 });
    expect(seen).toEqual(['shortcut:the customer said thanks', 'home:U0BOB:0', 'home:U0BOB:1']);
  });

  it('is refused by the app when the signature is wrong', async () => {
    const response = await postToApp(appUrl, {
      body: slashCommandBody({ command: '/feedback' }),
      contentType: 'application/x-www-form-urlencoded',
      secret,
      signature: 'v0=0000',
    });
    expect(response.status).toBe(401);
    expect(standIn.callsTo('views.open')).toHaveLength(0);
  });
});
