import type { FetchFunction } from '@slack/web-api';
import { Agent, errors } from 'undici';

// WebClient's own names for what its `fetch` option takes and returns (not exported by the package).
type FetchRequestInit = NonNullable<Parameters<FetchFunction>[1]>;
type FetchResponse = Awaited<ReturnType<FetchFunction>>;

/**
 * The `fetch` the bot's Web API client sends its calls with: undici's `request()` over one keep-alive Agent,
 * answering with the few fields WebClient reads (status, statusText, url, headers, text, arrayBuffer). The
 * global `fetch` builds a Request, a Response, web streams and an AbortSignal per call, and WebClient's own
 * `timeout` adds a transferable `AbortSignal.timeout`: together most of the CPU a Slack call cost us.
 *
 * `timeoutMs` is enforced here by undici (connecting, waiting for the answer to start, and between two pieces
 * of it), so the WebClient is built with `timeout: 0`. Failures look exactly as the global fetch's do, which
 * WebClient turns into the same errors: a network failure is `TypeError('fetch failed')` with the cause
 * (ECONNREFUSED, a reset), a timeout a `TimeoutError` DOMException, and every status (429, 5xx) an answer.
 * Bodies that are not text (FormData, for file uploads) go to the global fetch with the same timeout.
 */
export type SlackFetch = {
  fetch: FetchFunction;
  /** Close the kept-alive connections, ending any call still under way (its caller sees a failed call). */
  close(): Promise<void>;
};

const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

export function createSlackFetch(timeoutMs: number): SlackFetch {
  const agent = new Agent({
    connect: { timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const fetch: FetchFunction = async (url, init = {}) => {
    if (init.body !== undefined && typeof init.body !== 'string') return globalFetch(url, init, timeoutMs);
    const target = typeof url === 'string' ? new URL(url) : url;
    try {
      const res = await agent.request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: (init.method ?? 'GET') as 'POST',
        headers: init.headers ?? {},
        body: init.body ?? null,
        signal: init.signal ?? null,
      });
      // Read the (small) answer now, so the connection is free again whichever part WebClient reads.
      const bytes = await res.body.bytes();
      if (init.redirect === 'error' && REDIRECT_STATUSES.has(res.statusCode) && res.headers.location) {
        throw new TypeError('unexpected redirect');
      }
      return slackResponse(target.href, res.statusCode, res.statusText ?? '', res.headers, bytes);
    } catch (error) {
      throw asFetchError(error);
    }
  };
  return { fetch, close: () => agent.destroy() };
}

type RawHeaders = Record<string, string | string[] | undefined>;

function slackResponse(
  url: string,
  status: number,
  statusText: string,
  raw: RawHeaders,
  bytes: Uint8Array,
): FetchResponse {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText,
    url,
    headers: {
      get: (name: string) => headers.get(name.toLowerCase()) ?? null,
      entries: () => headers.entries(),
    },
    text: async () => buffer.toString('utf8'),
    json: async () => JSON.parse(buffer.toString('utf8')),
    arrayBuffer: async () => new Uint8Array(bytes).buffer,
  };
}

/** The error the global fetch rejects with for the same failure (WebClient wraps it in a request error). */
function asFetchError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && TIMEOUT_CODES.has(code)) {
    return new DOMException('The operation was aborted due to timeout', 'TimeoutError');
  }
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
