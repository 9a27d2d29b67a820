import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { FetchFunction } from '@slack/web-api';
import { Agent, type Dispatcher, errors } from 'undici';

// WebClient's own names for what its `fetch` option takes and returns (not exported by the package).
type FetchRequestInit = NonNullable<Parameters<FetchFunction>[1]>;
type FetchResponse = Awaited<ReturnType<FetchFunction>>;

/**
 * The `fetch` the bot's Web API client sends its calls with: one undici `dispatch` per call over a keep-alive
 * Agent, the answer collected in a buffer and handed back with the few fields WebClient reads (status,
 * statusText, url, headers, text, arrayBuffer). The global `fetch` builds a Request, a Response, web streams
 * and an AbortSignal per call, and WebClient's own `timeout` adds a transferable `AbortSignal.timeout`:
 * together most of the CPU a Slack call cost us.
 *
 * `timeoutMs` is enforced here, by one timer per call that aborts it (undici's own headers timeout is only
 * precise to a second), so the WebClient is built with `timeout: 0`. Failures look exactly as the global
 * fetch's do, which WebClient turns into the same errors: a network failure is `TypeError('fetch failed')` with
 * the cause (ECONNREFUSED, a reset), a timeout a `TimeoutError` DOMException, and every status (429, 5xx) an
 * answer. Bodies that are not text (FormData, for file uploads) go to the global fetch with the same timeout.
 */
export type SlackFetch = {
  fetch: FetchFunction;
  /** Close the kept-alive connections, ending any call still under way (its caller sees a failed call). */
  close(): Promise<void>;
};

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

type Answer = { status: number; statusText: string; headers: RawHeaders; body: Buffer };

export function createSlackFetch(timeoutMs: number): SlackFetch {
  // The timer in `send` is the call's timeout; connecting may not take longer either.
  const agent = new Agent({ connect: { timeout: timeoutMs } });
  const fetch: FetchFunction = async (url, init = {}) => {
    if (init.body !== undefined && typeof init.body !== 'string') return globalFetch(url, init, timeoutMs);
    const target = typeof url === 'string' ? new URL(url) : url;
    try {
      const answer = await send(agent, target, init, timeoutMs);
      if (init.redirect === 'error' && REDIRECT_STATUSES.has(answer.status) && answer.headers.location) {
        throw new TypeError('unexpected redirect');
      }
      return slackResponse(target.href, { ...answer, body: decoded(answer) });
    } catch (error) {
      throw asFetchError(error);
    }
  };
  return { fetch, close: () => agent.destroy() };
}

/** One call: dispatched, its answer collected, abandoned after `timeoutMs` (or when `init.signal` aborts). */
function send(agent: Agent, target: URL, init: FetchRequestInit, timeoutMs: number): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const head: Omit<Answer, 'body'> = { status: 0, statusText: '', headers: {} };
    const chunks: Buffer[] = [];
    let controller: Dispatcher.DispatchController | undefined;
    let stopped: Error | undefined;
    const stop = (reason: Error) => {
      stopped ??= reason;
      controller?.abort(reason);
      settle(reason);
    };
    const timer = setTimeout(() => stop(timeoutError()), timeoutMs);
    const onAbort = () => stop(init.signal?.reason ?? timeoutError());
    init.signal?.addEventListener('abort', onAbort, { once: true });
    if (init.signal?.aborted) onAbort();
    function settle(error: Error | undefined) {
      clearTimeout(timer);
      init.signal?.removeEventListener('abort', onAbort);
      if (error) reject(stopped ?? error);
      else resolve({ ...head, body: Buffer.concat(chunks) });
    }
    agent.dispatch(
      {
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
        headers: init.headers ?? {},
        body: (init.body as string | undefined) ?? null,
      },
      {
        onRequestStart(c) {
          controller = c;
          if (stopped) c.abort(stopped);
        },
        onResponseStart(_c, status, headers, statusText) {
          if (status < 200) return;
          Object.assign(head, { status, headers, statusText: statusText ?? '' });
        },
        onResponseData: (_c, chunk) => {
          chunks.push(chunk);
        },
        onResponseEnd: () => settle(undefined),
        onResponseError: (_c, error) => settle(error),
      },
    );
  });
}

/**
 * The body as sent, unless the server compressed it anyway (the calls do not ask for it: Slack's answers are
 * small): undone as the global fetch would.
 */
function decoded({ headers, body }: Answer): Buffer {
  const encoding = String(headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(body);
  if (encoding === 'deflate') return inflateSync(body);
  if (encoding === 'br') return brotliDecompressSync(body);
  return body;
}

function timeoutError(): Error {
  return new DOMException('The operation was aborted due to timeout', 'TimeoutError');
}

type RawHeaders = Record<string, string | string[] | undefined>;

function slackResponse(url: string, answer: Answer): FetchResponse {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const { status, body } = answer;
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: answer.statusText,
    url,
    headers: {
      get: (name: string) => headers.get(name.toLowerCase()) ?? null,
      entries: () => headers.entries(),
    },
    text: async () => body.toString('utf8'),
    json: async () => JSON.parse(body.toString('utf8')),
    arrayBuffer: async () => new Uint8Array(body).buffer,
  };
}

/** The error the global fetch rejects with for the same failure (WebClient wraps it in a request error). */
function asFetchError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return timeoutError();
  if (error instanceof errors.UndiciError || isSystemError(error) || error instanceof TypeError) {
    return new TypeError('fetch failed', { cause: error });
  }
  return error;
}

function isSystemError(error: unknown): boolean {
  return error instanceof Error && typeof (error as { syscall?: unknown }).syscall === 'string';
}

/** A body the lean path does not send (FormData): the global fetch, with the call's timeout. */
function globalFetch(url: string | URL, init: FetchRequestInit, timeoutMs: number): Promise<FetchResponse> {
  return fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(timeoutMs) } as RequestInit);
}
