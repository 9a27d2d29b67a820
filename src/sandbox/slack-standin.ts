/**
 * A local Slack stand-in: a real `node:http` server on 127.0.0.1 that answers the Web API methods the app
 * uses (reached through the WebClient's `slackApiUrl`), records every call, enforces Block Kit limits,
 * hands out response_urls, trigger_ids and file upload URLs, and can inject faults and rate limits.
 *
 * Usage:
 *   const standIn = await startSlackStandIn();
 *   const client = new WebClient('xoxb-test', { slackApiUrl: standIn.apiUrl });
 *   ...
 *   await standIn.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateMessageBlocks } from './block-kit-limits.js';
import {
  type ChannelSpec,
  Directory,
  directoryMethods,
  type UsergroupSpec,
} from './standin/directory-methods.js';
import { IdSource } from './standin/ids.js';
import { pollUntil } from './standin/poll.js';
import { RateLimiter, type RateLimitSpec } from './standin/rate-limiter.js';
import { mediaType, parseApiRequest, readBody } from './standin/request-body.js';
import type { UserSpec } from './standin/users.js';
import {
  appTokenProblem,
  authProblem,
  dmChannelFor,
  type FileRecord,
  type MethodContext,
  type MethodHandler,
  platformError,
  type SlackApiResponse,
  type StoredMessage,
  WEB_API_METHODS,
  type WorkspaceIdentity,
  WorkspaceState,
} from './standin/web-api-methods.js';

export type { ChannelSpec, UsergroupSpec } from './standin/directory-methods.js';
export type { RateLimitSpec } from './standin/rate-limiter.js';
export type { UserSpec } from './standin/users.js';
export type {
  FileRecord,
  MethodHandler,
  SlackApiResponse,
  StoredMessage,
  WorkspaceIdentity,
} from './standin/web-api-methods.js';
export { dmChannelFor };

/** A fault to inject into the next call(s) of a method. */
export type Fault =
  | { kind: 'http'; status: 500 | 502 | 503 }
  | { kind: 'rateLimited'; retryAfterSeconds: number }
  /** Processes the call normally at once, but holds the answer for `ms` (so the effect happened). */
  | { kind: 'timeout'; ms: number }
  /** Never answers and does nothing (held until the stand-in closes or the caller gives up). */
  | { kind: 'hang' }
  | { kind: 'error'; error: string };

export interface RecordedCall {
  method: string;
  /** Parsed arguments (JSON-string fields such as `blocks` and `view` parsed back into objects). */
  args: Record<string, unknown>;
  token: string | undefined;
  /** `Date.now()` when the call arrived. */
  at: number;
  /** HTTP status answered. */
  status: number;
  /** Body answered; for `http` faults `{ ok: false, error: 'http_<status>' }` (the body sent is plain text). */
  response: SlackApiResponse;
  fault?: Fault;
  /** Media type of the request body (`application/x-www-form-urlencoded`, `application/json`, ...). */
  contentType: string;
}

export interface RecordedResponse {
  /** The id in the response_url (`standIn.responseUrl(id)`). */
  id: string;
  /** The JSON body posted (or the raw text when it was not JSON). */
  body: unknown;
  at: number;
  /** HTTP status answered: 200, 400 (`invalid_blocks`/`no_text`) or 404 (`used_url`). */
  status: number;
}

export interface RecordedUpload {
  fileId: string;
  filename: string | undefined;
  size: number;
  bytes: Buffer;
  at: number;
}

export interface StandInOptions {
  /** Workspace id; default `T0TEST`. */
  teamId?: string;
  teamName?: string;
  /** Subdomain used in permalinks and auth.test's url; default `test`. */
  teamDomain?: string;
  /** Bot user id; default `U0BOT`. */
  botUserId?: string;
  botUserName?: string;
  /** Default `B0BOT`. */
  botId?: string;
  /** Default `A0TESTAPP`. */
  appId?: string;
  /** When set, only this exact token is accepted (others: `invalid_auth`); otherwise any `xoxb-` token. */
  botToken?: string;
  /** How long an issued trigger_id can be exchanged; default 3000 ms as in Slack. */
  triggerTtlMs?: number;
  /** Refuse trigger_ids the stand-in did not issue (`invalid_arguments`); default false (accepted). */
  strictTriggers?: boolean;
  /** How many posts one response_url accepts; default 5 as in Slack. */
  responseUrlMaxUses?: number;
  /** Users known up front (same as calling `setUser` for each). */
  users?: UserSpec[];
  /** Scopes granted to the bot token, sent in `x-oauth-scopes` on every answer as Slack does; default none. */
  grantedScopes?: string[];
}

export type CallPredicate = (call: RecordedCall) => boolean;

export interface CallQuery {
  method?: string;
  /** How many matching calls to wait for; default 1. */
  count?: number;
  where?: CallPredicate;
}

export interface SlackStandIn {
  /** `http://127.0.0.1:PORT/api/`: pass as the WebClient's `slackApiUrl` (Bolt: `clientOptions.slackApiUrl`). */
  readonly apiUrl: string;
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  readonly identity: WorkspaceIdentity;
  /** Every Web API call, in arrival order. */
  readonly calls: RecordedCall[];
  /** Every post to a response_url, in arrival order. */
  readonly responses: RecordedResponse[];
  /** Every file body posted to an upload URL. */
  readonly uploads: RecordedUpload[];

  callsTo(method: string): RecordedCall[];
  /** How many calls to `method` were recorded since the start or `clearCalls`, without reading them all. */
  callCount(method: string): number;
  lastCall(method: string): RecordedCall | undefined;
  clearCalls(): void;
  /** Resolves with the matching calls once there are enough; rejects after `timeoutMs` listing what was seen. */
  waitFor(query: CallPredicate | CallQuery, timeoutMs?: number): Promise<RecordedCall[]>;

  /** A response_url on this server; posts to it are recorded in `responses`. */
  responseUrl(id?: string): string;
  responsesTo(id: string): RecordedResponse[];
  /** Resolves once `responses` holds at least `count` posts (to `id` when given). */
  waitForResponse(count?: number, timeoutMs?: number, id?: string): Promise<RecordedResponse[]>;

  /** A fresh trigger_id that views.open / views.push accept once, within `triggerTtlMs`. */
  issueTriggerId(): string;

  setUser(user: UserSpec): void;
  /** users.info (and DMs) for this id answer `user_not_found`. */
  setUserNotFound(userId: string): void;
  /** chat.postMessage to the channel answers `not_in_channel` until conversations.join is called for it. */
  setNotInChannel(channelId: string): void;
  /** Calls naming the channel answer `channel_not_found`. */
  setChannelNotFound(channelId: string): void;
  /** A channel the directory methods know (conversations.list / info); `setNotInChannel` also clears is_member. */
  setChannel(channel: ChannelSpec): void;
  setUsergroup(group: UsergroupSpec): void;
  setGrantedScopes(scopes: string[]): void;

  /** Messages posted to `channel` (a user id means the DM with that user), with updates applied. */
  messagesIn(channel: string): StoredMessage[];
  /** Adds a message as someone other than the app posts it (a person typing, a file shared); returns it. */
  addMessage(message: Omit<StoredMessage, 'ts' | 'deleted'>): StoredMessage;
  findMessage(channel: string, ts: string): StoredMessage | undefined;
  /** The view with this id as last opened / updated / published. */
  view(viewId: string): Record<string, unknown> | undefined;
  /** The Home tab last published for the user. */
  homeView(userId: string): Record<string, unknown> | undefined;
  file(fileId: string): FileRecord | undefined;

  /**
   * Makes the next `times` calls of `method` (`'*'`: any method) fail with `fault`; with `where`, only calls
   * whose arguments match (e.g. one channel).
   */
  injectFault(
    method: string,
    fault: Fault,
    times?: number,
    where?: (args: Record<string, unknown>) => boolean,
  ): void;
  clearFaults(): void;
  /** Token-bucket rate limit for a method: over the limit, HTTP 429 with Retry-After. */
  setRateLimit(method: string, spec: RateLimitSpec): void;
  clearRateLimits(method?: string): void;
  /** Answers `method` with `handler` (overrides the built-in one; adds methods the stand-in lacks). */
  setHandler(method: string, handler: MethodHandler): void;

  /** Stop listening (calls get "connection refused") until `goOnline`, on the same port. */
  goOffline(): Promise<void>;
  goOnline(): Promise<void>;

  close(): Promise<void>;
}

interface PendingFault {
  method: string;
  fault: Fault;
  remaining: number;
  where?: (args: Record<string, unknown>) => boolean;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

const HTTP_STATUS_TEXT: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** Who the stand-in's workspace, bot and app are (the options, or test defaults). */
function workspaceIdentity(options: StandInOptions): WorkspaceIdentity {
  return {
    teamId: options.teamId ?? 'T0TEST',
    teamName: options.teamName ?? 'Courtesy Loop Test',
    teamDomain: options.teamDomain ?? 'test',
    botUserId: options.botUserId ?? 'U0BOT',
    botUserName: options.botUserName ?? 'courtesy-loop',
    botId: options.botId ?? 'B0BOT',
    appId: options.appId ?? 'A0TESTAPP',
  };
}

export async function startSlackStandIn(options: StandInOptions = {}): Promise<SlackStandIn> {
  const identity = workspaceIdentity(options);
  const triggerTtlMs = options.triggerTtlMs ?? 3000;
  const responseUrlMaxUses = options.responseUrlMaxUses ?? 5;
  const state = new WorkspaceState();
  const ids = new IdSource();
  const limiter = new RateLimiter();
  const calls: RecordedCall[] = [];
  const callCounts = new Map<string, number>();
  const responses: RecordedResponse[] = [];
  const uploads: RecordedUpload[] = [];
  const faults: PendingFault[] = [];
  const directory = new Directory();
  const handlers = new Map<string, MethodHandler>([
    ...Object.entries(WEB_API_METHODS),
    ...Object.entries(directoryMethods(directory)),
  ]);
  let grantedScopes = options.grantedScopes ?? [];
  const heldResponses = new Set<{ timer: ReturnType<typeof setTimeout>; res: ServerResponse }>();
  let baseUrl = '';

  for (const user of options.users ?? []) state.users.set(user.id, user);

  const context = (): MethodContext => ({
    state,
    identity,
    ids,
    baseUrl,
    now: () => Date.now(),
    triggerTtlMs,
    strictTriggers: options.strictTriggers ?? false,
  });

  function takeFault(method: string, args: Record<string, unknown>): Fault | undefined {
    const index = faults.findIndex(
      (f) => (f.method === method || f.method === '*') && (f.where === undefined || f.where(args)),
    );
    const pending = faults[index];
    if (pending === undefined) return undefined;
    pending.remaining -= 1;
    if (pending.remaining <= 0) faults.splice(index, 1);
    return pending.fault;
  }

  /** A rateLimited fault when the method's token bucket is empty (the call is not counted then). */
  function rateLimitFault(
    method: string,
    channel: string | undefined,
  ): Extract<Fault, { kind: 'rateLimited' }> | undefined {
    const decision = limiter.take(method, channel);
    return decision.allowed
      ? undefined
      : { kind: 'rateLimited', retryAfterSeconds: decision.retryAfterSeconds };
  }

  function answerMethod(
    method: string,
    args: Record<string, unknown>,
    token: string | undefined,
  ): SlackApiResponse {
    const handler = handlers.get(method);
    if (handler === undefined) return platformError('unknown_method');
    // apps.connections.open takes the app-level token (xapp-), every other method the bot token.
    const auth =
      method === 'apps.connections.open' ? appTokenProblem(token) : authProblem(token, options.botToken);
    if (auth !== undefined) return auth;
    return handler(args, context());
  }

  async function handleApi(
    method: string,
    req: IncomingMessage,
    res: ServerResponse,
    query: URLSearchParams,
  ) {
    const raw = await readBody(req);
    const at = Date.now();
    const parsed = await parseApiRequest(req.headers, raw, query);
    const { args, token, contentType } = parsed;
    const record = (status: number, response: SlackApiResponse, fault?: Fault) => {
      calls.push({ method, args, token, at, status, response, contentType, ...(fault ? { fault } : {}) });
      callCounts.set(method, (callCounts.get(method) ?? 0) + 1);
    };

    const fault = takeFault(method, args);
    if (fault?.kind === 'hang') {
      record(0, { ok: false, error: 'hang' }, fault);
      const held = { res, timer: setTimeout(() => undefined, 0) };
      heldResponses.add(held);
      res.on('close', () => heldResponses.delete(held));
      return;
    }
    if (fault?.kind === 'http') {
      record(fault.status, { ok: false, error: `http_${fault.status}` }, fault);
      sendText(res, fault.status, HTTP_STATUS_TEXT[fault.status] ?? 'Error');
      return;
    }
    const channel = typeof args.channel === 'string' ? args.channel : undefined;
    const limited = fault?.kind === 'rateLimited' ? fault : rateLimitFault(method, channel);
    if (limited !== undefined) {
      const body = { ok: false, error: 'ratelimited' };
      record(429, body, limited);
      sendJson(res, 429, body, { 'retry-after': String(limited.retryAfterSeconds) });
      return;
    }
    if (fault?.kind === 'error') {
      const body = { ok: false, error: fault.error };
      record(200, body, fault);
      sendJson(res, 200, body);
      return;
    }

    const response = parsed.invalidBody ? platformError('invalid_json') : answerMethod(method, args, token);
    record(200, response, fault);
    const scopesHeader = token?.startsWith('xoxb-') ? { 'x-oauth-scopes': grantedScopes.join(',') } : {};
    if (fault?.kind === 'timeout') {
      const held = {
        res,
        timer: setTimeout(() => {
          heldResponses.delete(held);
          if (!res.destroyed && !res.writableEnded) sendJson(res, 200, response, scopesHeader);
        }, fault.ms),
      };
      heldResponses.add(held);
      return;
    }
    sendJson(res, 200, response, scopesHeader);
  }

  async function handleResponseUrl(id: string, req: IncomingMessage, res: ServerResponse) {
    const raw = (await readBody(req)).toString('utf8');
    let text = raw;
    if (mediaType(req.headers) === 'application/x-www-form-urlencoded' && raw.startsWith('payload=')) {
      text = new URLSearchParams(raw).get('payload') ?? raw;
    }
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the raw text (answered invalid_payload below)
    }
    const at = Date.now();
    const used = responses.filter((r) => r.id === id && r.status === 200).length;
    const record = (status: number) => responses.push({ id, body, at, status });
    if (used >= responseUrlMaxUses) {
      record(404);
      sendText(res, 404, 'used_url');
      return;
    }
    if (typeof body !== 'object' || body === null) {
      record(400);
      sendText(res, 400, 'invalid_payload');
      return;
    }
    const message = body as Record<string, unknown>;
    const hasText = typeof message.text === 'string' && message.text.length > 0;
    const hasBlocks = Array.isArray(message.blocks) && message.blocks.length > 0;
    const hasAttachments = Array.isArray(message.attachments) && message.attachments.length > 0;
    if (message.delete_original !== true && !hasText && !hasBlocks && !hasAttachments) {
      record(400);
      sendText(res, 400, 'no_text');
      return;
    }
    if (message.blocks !== undefined && validateMessageBlocks(message.blocks).length > 0) {
      record(400);
      sendText(res, 400, 'invalid_blocks');
      return;
    }
    record(200);
    sendText(res, 200, 'ok');
  }

  async function handleUpload(fileId: string, req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req);
    const record = state.files.get(fileId);
    if (record === undefined) {
      sendText(res, 404, 'file_not_found');
      return;
    }
    let bytes = raw;
    let filename: string | undefined;
    if (mediaType(req.headers) === 'multipart/form-data') {
      const parsed = await parseApiRequest(req.headers, raw, new URLSearchParams());
      const part = Object.values(parsed.files)[0];
      if (part !== undefined) {
        bytes = part.bytes;
        filename = part.filename;
      }
    }
    record.uploaded = { filename: filename ?? record.filename, size: bytes.length, bytes };
    uploads.push({
      fileId,
      filename: filename ?? record.filename,
      size: bytes.length,
      bytes,
      at: Date.now(),
    });
    sendText(res, 200, 'OK');
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const route = async () => {
      if (path.startsWith('/api/')) {
        await handleApi(decodeURIComponent(path.slice('/api/'.length)), req, res, url.searchParams);
      } else if (path.startsWith('/response/') && req.method === 'POST') {
        await handleResponseUrl(decodeURIComponent(path.slice('/response/'.length)), req, res);
      } else if (path.startsWith('/upload/v1/') && req.method === 'POST') {
        await handleUpload(decodeURIComponent(path.slice('/upload/v1/'.length)), req, res);
      } else {
        await readBody(req);
        sendText(res, 404, 'not_found');
      }
    };
    route().catch((error: unknown) => {
      if (!res.headersSent) sendText(res, 500, `stand-in error: ${String(error)}`);
      else res.destroy();
    });
  });

  const listen = (onPort: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(onPort, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  const matches = (query: CallPredicate | CallQuery): RecordedCall[] => {
    if (typeof query === 'function') return calls.filter(query);
    return calls.filter(
      (c) => (query.method === undefined || c.method === query.method) && (query.where?.(c) ?? true),
    );
  };

  const describeCalls = (): string => {
    if (calls.length === 0) return 'no calls were made';
    const seen = calls.map((c) => `${c.method}${c.response.ok ? '' : ` (${c.response.error ?? 'error'})`}`);
    return `calls seen: ${seen.join(', ')}`;
  };

  const standIn: SlackStandIn = {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    identity,
    calls,
    responses,
    uploads,

    callsTo: (method) => calls.filter((c) => c.method === method),
    callCount: (method) => callCounts.get(method) ?? 0,
    lastCall: (method) => calls.findLast((c) => c.method === method),
    clearCalls: () => {
      calls.length = 0;
      callCounts.clear();
    },
    waitFor: (query, timeoutMs = 5000) => {
      const count = typeof query === 'function' ? 1 : (query.count ?? 1);
      const wanted =
        typeof query === 'function'
          ? 'a call matching the predicate'
          : `${count} call(s)${query.method === undefined ? '' : ` to ${query.method}`}${query.where ? ' matching the predicate' : ''}`;
      return pollUntil(
        () => {
          const found = matches(query);
          return found.length >= count ? found : undefined;
        },
        timeoutMs,
        () =>
          `Slack stand-in: timed out after ${timeoutMs} ms waiting for ${wanted}; found ${matches(query).length}; ${describeCalls()}`,
      );
    },

    responseUrl: (id) => `${baseUrl}/response/${encodeURIComponent(id ?? ids.responseUrlId())}`,
    responsesTo: (id) => responses.filter((r) => r.id === id),
    waitForResponse: (count = 1, timeoutMs = 5000, id) =>
      pollUntil(
        () => {
          const found = id === undefined ? responses : responses.filter((r) => r.id === id);
          return found.length >= count ? [...found] : undefined;
        },
        timeoutMs,
        () =>
          `Slack stand-in: timed out after ${timeoutMs} ms waiting for ${count} response_url post(s)${id === undefined ? '' : ` to ${id}`}; got ${responses.length} in all (ids: ${responses.map((r) => r.id).join(', ') || 'none'})`,
      ),

    issueTriggerId: () => {
      const id = ids.triggerId();
      state.triggers.set(id, { issuedAt: Date.now(), exchanged: false });
      return id;
    },

    setUser: (user) => {
      state.users.set(user.id, user);
      state.missingUsers.delete(user.id);
    },
    setUserNotFound: (userId) => {
      state.users.delete(userId);
      state.missingUsers.add(userId);
    },
    setNotInChannel: (channelId) => {
      state.notInChannel.add(channelId);
    },
    setChannelNotFound: (channelId) => {
      state.channelNotFound.add(channelId);
    },
    setChannel: (channel) => {
      directory.channels.set(channel.id, channel);
      if (channel.is_member === false) state.notInChannel.add(channel.id);
    },
    setUsergroup: (group) => {
      directory.usergroups.set(group.id, group);
    },
    setGrantedScopes: (scopes) => {
      grantedScopes = scopes;
    },

    messagesIn: (channel) => {
      const id = /^[UW]/.test(channel) ? dmChannelFor(channel) : channel;
      return [...(state.messages.get(id) ?? [])];
    },
    addMessage: (message) => {
      const stored: StoredMessage = { ...message, ts: ids.messageTs(), deleted: false };
      const list = state.messages.get(message.channel) ?? [];
      list.push(stored);
      state.messages.set(message.channel, list);
      return stored;
    },
    findMessage: (channel, ts) =>
      state.findMessage(/^[UW]/.test(channel) ? dmChannelFor(channel) : channel, ts),
    view: (viewId) => state.views.get(viewId)?.view,
    homeView: (userId) => {
      const id = state.homeViewByUser.get(userId);
      return id === undefined ? undefined : state.views.get(id)?.view;
    },
    file: (fileId) => state.files.get(fileId),

    injectFault: (method, fault, times = 1, where) => {
      if (times > 0) faults.push({ method, fault, remaining: times, ...(where ? { where } : {}) });
    },
    clearFaults: () => {
      faults.length = 0;
    },
    setRateLimit: (method, spec) => limiter.set(method, spec),
    clearRateLimits: (method) => limiter.clear(method),
    setHandler: (method, handler) => {
      handlers.set(method, handler);
    },

    goOffline: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    goOnline: () => listen(port),

    close: async () => {
      for (const held of heldResponses) {
        clearTimeout(held.timer);
        held.res.destroy();
      }
      heldResponses.clear();
      if (!server.listening) return;
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
  return standIn;
}
