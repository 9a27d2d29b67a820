import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { ErrorCode, type Logger, LogLevel, WebClient, WebClientEvent } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { boltLoggerAdapter, createLogger } from '../../src/logger.js';
import { createSlackClient, type SlackClient } from '../../src/slack/app.js';
import { classifySlackFailure } from '../../src/slack/delivery/slack-errors.js';
import { EncodedArgsWebClient, encodeArguments } from '../../src/slack/encoded-args-client.js';
import { createSlackFetch } from '../../src/slack/slack-fetch.js';

/**
 * The bot's Web API client (its own fetch on undici, JSON-encoded arguments) against a local node:http server,
 * next to a WebClient as it was built before (the global fetch, WebClient's own timeout): every answer and
 * every failure must reach the outbox the same way.
 */
type Seen = { method: string; body: string; contentType: string; headers: Record<string, unknown> };

let server: Server;
let apiUrl: string;
const seen: Seen[] = [];
const sockets = new Set<Socket>();
let connections = 0;
const held = new Set<ServerResponse>();

function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
  const method = (req.url ?? '').replace('/api/', '');
  const { authorization, accept, 'user-agent': agent, 'content-length': length } = req.headers;
  const headers = { authorization, accept, agent, length };
  seen.push({ method, body, contentType: String(req.headers['content-type'] ?? ''), headers });
  const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(value));
  };
  if (method === 'chat.postMessage') {
    json(
      200,
      { ok: true, channel: 'C0SUPPORT1', ts: '1700000000.000100' },
      { 'x-oauth-scopes': 'chat:write, users:read' },
    );
  } else if (method === 'rate.limited')
    json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '7' });
  else if (method === 'server.error') {
    res.writeHead(503, { 'content-type': 'text/plain' });
    res.end('upstream down');
  } else if (method === 'not.found') json(404, { ok: false });
  else if (method === 'platform.error') json(200, { ok: false, error: 'channel_not_found' });
  else if (method === 'not.json') {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html>maintenance</html>');
  } else if (method === 'gzipped') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(gzipSync(JSON.stringify({ ok: true, user: { id: 'U0REP0001', tz: 'Europe/Paris' } })));
  } else if (method === 'moved') {
    res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
    res.end();
  } else if (method === 'with.warnings') {
    const notes = { warnings: ['superfluous_charset'], messages: ['[WARN] careful', '[ERROR] bad', 'plain'] };
    json(200, { ok: true, response_metadata: notes }, { 'x-accepted-oauth-scopes': 'chat:write' });
  } else if (method === 'bad.retry') json(429, { ok: false }, { 'retry-after': 'soon' });
  else if (method === 'no.ok') json(200, { channel: 'C1' });
  else if (method === 'hang') held.add(res);
  else if (method === 'late') {
    held.add(res);
    setTimeout(() => {
      if (held.delete(res)) json(200, { ok: true, late: true });
    }, 600);
  } else json(200, { ok: true, echo: body });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => answer(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const clients: SlackClient[] = [];
afterEach(async () => {
  for (const res of held) res.destroy();
  held.clear();
  seen.length = 0;
  vi.restoreAllMocks();
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

const logger = createLogger({ level: 'silent' });
const env = (url: string) => ({
  botToken: 'xoxb-test',
  signingSecret: 'secret',
  appToken: undefined,
  slackApiUrl: url,
  mode: 'http' as const,
});

function appClient(timeoutMs = 10_000, url = apiUrl): WebClient {
  const made = createSlackClient(env(url), logger, timeoutMs);
  clients.push(made);
  return made.client;
}

/** The client as it was built before: the global fetch and WebClient's own timeout. */
function globalFetchClient(timeoutMs = 10_000, url = apiUrl): WebClient {
  return new WebClient('xoxb-test', {
    slackApiUrl: url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
    logger: boltLoggerAdapter(logger),
  });
}

async function failure(call: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await call;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('the call succeeded');
}

/** What the outbox and the logs see of a failed call. */
function outcome(error: Record<string, unknown>) {
  const original = error.original as { name?: string; cause?: { code?: string } } | undefined;
  return {
    code: error.code,
    message: error.message,
    statusCode: error.statusCode,
    retryAfter: error.retryAfter,
    body: error.body,
    originalName: original?.name,
    causeCode: original?.cause?.code,
    classified: classifySlackFailure(error),
  };
}

describe('the Slack Web API client transport', () => {
  it('posts a message without the global fetch or an AbortSignal.timeout per call', async () => {
    const globalFetch = vi.spyOn(globalThis, 'fetch');
    const timeoutSignal = vi.spyOn(AbortSignal, 'timeout');
    const client = appClient();
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'Export "times out" & more' } }];
    const result = await client.chat.postMessage({ channel: 'C0SUPPORT1', text: 'hi', blocks });
    expect(result).toMatchObject({ ok: true, channel: 'C0SUPPORT1', ts: '1700000000.000100' });
    expect(result.response_metadata?.scopes).toEqual(['chat:write', 'users:read']);
    expect(globalFetch).not.toHaveBeenCalled();
    expect(timeoutSignal).not.toHaveBeenCalled();
  });

  it('sends the same form, byte for byte, as WebClient with the global fetch', async () => {
    const args = {
      channel: 'C0SUPPORT1',
      text: 'a & b = "c"',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'ünïcode > *bold*' } }],
      metadata: { event_type: 'courtesy_loop_delivery', event_payload: { outbox_id: 7, step: 0 } },
      unfurl_links: false,
    };
    await globalFetchClient().chat.postMessage(args);
    await appClient().chat.postMessage(args);
    const [before, now] = seen;
    expect(now?.contentType).toBe('application/x-www-form-urlencoded');
    expect(now?.body).toBe(before?.body);
    expect(now?.headers).toEqual(before?.headers);
    expect(now?.headers).toMatchObject({ authorization: 'Bearer xoxb-test', accept: 'application/json' });
    expect(new URLSearchParams(now?.body).get('blocks')).toBe(JSON.stringify(args.blocks));
    // A token given with the call is the one sent, in the header and the form, as WebClient does.
    await globalFetchClient().chat.getPermalink({ channel: 'C1', message_ts: '1.2', token: 'xoxb-other' });
    await appClient().chat.getPermalink({ channel: 'C1', message_ts: '1.2', token: 'xoxb-other' });
    const [otherBefore, otherNow] = seen.slice(2);
    expect(otherNow?.body).toBe(otherBefore?.body);
    expect(otherNow?.headers).toEqual(otherBefore?.headers);
    expect(otherNow?.headers.authorization).toBe('Bearer xoxb-other');
  });

  it('makes a call of text arguments itself, and hands WebClient the rest as JSON text', async () => {
    const seenByWebClient = vi.spyOn(WebClient.prototype, 'apiCall');
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }];
    const client = appClient();
    await client.chat.postMessage({ channel: 'C0SUPPORT1', text: 'hi', blocks });
    expect(seenByWebClient).not.toHaveBeenCalled();
    expect(seen.map((s) => s.method)).toEqual(['chat.postMessage']);
    // A method WebClient treats apart goes through it, its object arguments already text.
    await client.apiCall('apps.event.authorizations.list', { event_context: 'E1', cursor: { at: 2 } });
    expect(seenByWebClient.mock.calls[0]?.[1]).toMatchObject({ event_context: 'E1', cursor: '{"at":2}' });
    const file = Buffer.from('bytes');
    const when = new Date(0);
    expect(encodeArguments({ file, when, n: 1, list: [1], none: undefined })).toEqual({
      file,
      when,
      n: 1,
      list: '[1]',
      none: undefined,
    });
  });

  it('keeps its connections alive across calls', async () => {
    const client = appClient();
    const before = connections;
    for (let i = 0; i < 10; i++) await client.chat.postMessage({ channel: 'C0SUPPORT1', text: `n${i}` });
    // undici frees a connection just after the answer is read, so the next call may open a second one.
    expect(connections - before).toBeLessThanOrEqual(2);
  });

  it('reads an answer the server compressed though not asked to', async () => {
    const before = await globalFetchClient().apiCall('gzipped');
    const now = await appClient().apiCall('gzipped');
    expect(now).toEqual(before);
    expect(now).toMatchObject({ ok: true, user: { tz: 'Europe/Paris' } });
  });

  it('reads an ok:false answer and a body that is not JSON as WebClient did', async () => {
    for (const method of ['platform.error', 'not.json', 'no.ok']) {
      const before = outcome(await failure(globalFetchClient().apiCall(method)));
      const now = outcome(await failure(appClient().apiCall(method)));
      expect(now).toEqual(before);
    }
    expect(outcome(await failure(appClient().apiCall('platform.error'))).classified).toEqual({
      kind: 'permanent',
      reason: 'channel_not_found',
    });
  });

  it('turns a 429 into a rate-limited error with its Retry-After', async () => {
    const before = outcome(await failure(globalFetchClient().apiCall('rate.limited')));
    const now = outcome(await failure(appClient().apiCall('rate.limited')));
    expect(now).toEqual(before);
    expect(now).toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 7,
      classified: { kind: 'rate-limited', retryAfterMs: 7000 },
    });
    // A Retry-After that is not a number: a plain error naming it, as WebClient gives.
    const badBefore = outcome(await failure(globalFetchClient().apiCall('bad.retry')));
    const badNow = outcome(await failure(appClient().apiCall('bad.retry')));
    expect(badNow).toEqual(badBefore);
    expect(String(badNow.message)).toContain('retry-after header: soon');
  });

  it('fails exactly as a stock WebClient over the same transport: class, fields, counts and event', async () => {
    const transport = createSlackFetch(10_000);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const refusedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/api/`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const build = (Client: typeof WebClient, slackApiUrl: string) =>
      new Client('xoxb-test', {
        slackApiUrl,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        fetch: transport.fetch,
        timeout: 0,
        logger: boltLoggerAdapter(logger),
      });
    const shape = (error: Record<string, unknown>) => ({
      class: error.constructor.name,
      keys: Object.keys(error).sort(),
      fields: { ...error, original: String(error.original), stack: undefined },
      message: error.message,
    });
    const cases: [string, string][] = [
      [apiUrl, 'server.error'],
      [apiUrl, 'not.found'],
      [apiUrl, 'platform.error'],
      [apiUrl, 'not.json'],
      [apiUrl, 'no.ok'],
      [apiUrl, 'rate.limited'],
      [apiUrl, 'bad.retry'],
      [refusedUrl, 'chat.postMessage'],
    ];
    for (const [url, method] of cases) {
      const stock = build(WebClient, url);
      const lean = build(EncodedArgsWebClient, url);
      const events: unknown[][] = [];
      stock.on(WebClientEvent.RATE_LIMITED, (...args: unknown[]) => events.push(['stock', ...args]));
      lean.on(WebClientEvent.RATE_LIMITED, (...args: unknown[]) => events.push(['lean', ...args]));
      const before = shape(await failure(stock.apiCall(method, { channel: 'C1', text: 'hi' })));
      const now = shape(await failure(lean.apiCall(method, { channel: 'C1', text: 'hi' })));
      expect({ method, ...now }).toEqual({ method, ...before });
      expect(events.map(([, ...rest]) => rest)).toEqual(
        method === 'rate.limited' ? [events[0]?.slice(1), events[0]?.slice(1)] : [],
      );
    }
    await transport.close();
  });

  it("logs Slack's warnings, and a message without text, as WebClient does", async () => {
    const recorded = (): { lines: string[]; logger: Logger } => {
      const lines: string[] = [];
      const note =
        (level: string) =>
        (...args: unknown[]) => {
          lines.push(`${level} ${JSON.stringify(args)}`);
        };
      const logger = { debug() {}, info: note('info'), warn: note('warn'), error: note('error') };
      return { lines, logger: { ...logger, setLevel() {}, getLevel: () => LogLevel.INFO, setName() {} } };
    };
    const transport = createSlackFetch(10_000);
    const options = {
      slackApiUrl: apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      fetch: transport.fetch,
      timeout: 0,
    };
    const before = recorded();
    const now = recorded();
    const stock = new WebClient('xoxb-test', { ...options, logger: before.logger });
    const lean = new EncodedArgsWebClient('xoxb-test', { ...options, logger: now.logger });
    const leanResult = await lean.apiCall('with.warnings');
    expect(leanResult).toEqual(await stock.apiCall('with.warnings'));
    expect(leanResult.response_metadata?.acceptedScopes).toEqual(['chat:write']);
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'no text' } }];
    await stock.chat.postMessage({ channel: 'C1', blocks, thread_ts: 1.5 as unknown as string });
    await lean.chat.postMessage({ channel: 'C1', blocks, thread_ts: 1.5 as unknown as string });
    await transport.close();
    expect(now.lines).toEqual(before.lines);
    expect(now.lines.join('\n')).toMatch(/warn .*superfluous_charset.*\n.*careful.*\nerror .*bad/);
    expect(now.lines.join('\n')).toContain('`text` argument is missing');
    expect(now.lines.join('\n')).toContain('thread_ts value');
  });

  it('turns any other status into an HTTP error with its body', async () => {
    for (const method of ['server.error', 'not.found']) {
      const before = outcome(await failure(globalFetchClient().apiCall(method)));
      const now = outcome(await failure(appClient().apiCall(method)));
      expect(now).toEqual(before);
    }
    expect(outcome(await failure(appClient().apiCall('server.error')))).toMatchObject({
      code: ErrorCode.HTTPError,
      statusCode: 503,
      body: 'upstream down',
      classified: { kind: 'outage', reason: 'http_503' },
    });
  });

  it('refuses to follow a redirect, as WebClient asks', async () => {
    const before = outcome(await failure(globalFetchClient().apiCall('moved')));
    const now = outcome(await failure(appClient().apiCall('moved')));
    expect(now).toEqual(before);
    expect(now).toMatchObject({ code: ErrorCode.RequestError, classified: { kind: 'outage' } });
  });

  it('gives up on a call Slack does not answer within the timeout, as a timed-out request', async () => {
    const before = outcome(await failure(globalFetchClient(200).apiCall('hang')));
    const now = outcome(await failure(appClient(200).apiCall('hang')));
    expect(now).toEqual(before);
    expect(now).toMatchObject({
      code: ErrorCode.RequestError,
      originalName: 'TimeoutError',
      classified: {
        kind: 'outage',
        reason: 'request_error: A request error occurred: The operation was aborted due to timeout',
      },
    });
  });

  it('abandons a call whose answer comes after the timeout, though Slack did it', async () => {
    const now = outcome(await failure(appClient(150).apiCall('late')));
    expect(now).toMatchObject({ code: ErrorCode.RequestError, originalName: 'TimeoutError' });
  });

  it('reports a refused connection with its cause, as the global fetch did', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/api/`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const before = outcome(await failure(globalFetchClient(10_000, url).apiCall('auth.test')));
    const now = outcome(await failure(appClient(10_000, url).apiCall('auth.test')));
    expect(now).toEqual(before);
    expect(now).toMatchObject({
      code: ErrorCode.RequestError,
      causeCode: 'ECONNREFUSED',
      classified: { kind: 'outage', reason: 'request_error: A request error occurred: fetch failed' },
    });
  });

  it('sends a body that is not text (a file upload form) with the global fetch', async () => {
    const transport = createSlackFetch(10_000);
    const form = new FormData();
    form.append('file', new Blob(['chart bytes']), 'chart.png');
    const res = await transport.fetch(`${apiUrl}upload`, { method: 'POST', body: form });
    await transport.close();
    expect(res.status).toBe(200);
    expect(seen[0]?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen[0]?.body).toContain('chart bytes');
  });
});
