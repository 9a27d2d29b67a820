import { stringify } from 'node:querystring';
import {
  type FetchFunction,
  type Logger,
  type WebAPICallResult,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
} from '@slack/web-api';

/**
 * One Web API call made as WebClient's own `apiCall` makes it for this app's client (no retries, rate limits
 * rejected at once), without what it does for its debug lines: WebClient builds them whatever the level, and
 * the one for the answer copies the whole answer, key by key through a regular expression (a posted message
 * comes back with its blocks). With its request queue (a plain bound, `CallSlots`, takes its place) and retry
 * wrapper (with no retries, only the counts it puts on errors remain), that was about a ninth of the CPU the
 * app spent posting a backlog, and an eighth of what a flat-out `/kudos` load allocated.
 *
 * The request is the same, header for header and byte for byte: the same form (`serializeBody`), the same
 * headers in the same order. The answer and every failure come back as WebClient gives them: the same result
 * (`buildResult`), the same error classes, codes, messages and fields, the same `rate_limited` event, and the
 * same warnings logged.
 * `test/integration/slack-client-transport.test.ts` holds each case against a stock WebClient.
 */
export type LeanCallSetup = {
  /** The API's base URL, ending in `/`. */
  apiUrl: string;
  /** WebClient's default headers (User-Agent, Accept, Authorization), in its order. */
  headers: Readonly<Record<string, string>>;
  teamId: string | undefined;
  fetch: FetchFunction;
  logger: Logger;
  /** WebClient's `rate_limited` event, emitted before a 429 is rejected. */
  rateLimited: (retrySec: number, request: { url: string; body: Record<string, unknown> }) => void;
  /** Calls under way at once, at most (WebClient's request queue: `maxRequestConcurrency`). */
  slots: CallSlots;
};

/** A bound on calls under way at once, shared by one client's calls; the waiting start in their order. */
export type CallSlots = { take(): Promise<void>; give(): void };

export function callSlots(max: number): CallSlots {
  let free = max;
  const waiting: (() => void)[] = [];
  return {
    take: () => {
      if (free > 0) {
        free -= 1;
        return Promise.resolve();
      }
      return new Promise<void>((start) => waiting.push(start));
    },
    give: () => {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    },
  };
}

/**
 * Methods WebClient treats apart (a file upload, a gzip answer, a token it must not send in the body): they
 * always go through WebClient itself.
 */
export const SPECIAL_METHODS: ReadonlySet<string> = new Set([
  'files.uploadV2',
  'files.upload',
  'admin.analytics.getFile',
  'apps.event.authorizations.list',
  'oauth.access',
]);

/** Whether these arguments are all a form carries as text (no Buffer, stream or file to send as multipart). */
export function isTextForm(options: Record<string, unknown>): boolean {
  for (const key of Object.keys(options)) {
    const value = options[key];
    if (value === undefined || value === null) continue;
    const kind = typeof value;
    if (kind === 'string' || kind === 'number' || kind === 'boolean') continue;
    return false;
  }
  return true;
}

/** Arguments already text (`encodeArguments`), sent as WebClient would and answered as it would. */
export async function leanApiCall(
  setup: LeanCallSetup,
  method: string,
  options: Record<string, unknown>,
): Promise<WebAPICallResult> {
  warnOfMessageArguments(method, options, setup.logger);
  const headers: Record<string, string> = {
    ...setup.headers,
    'Content-Type': 'application/x-www-form-urlencoded',
  };
  if (options.token) headers.Authorization = `Bearer ${String(options.token)}`;
  const url = `${setup.apiUrl}${method}`;
  const body = { team_id: setup.teamId, ...options };
  await setup.slots.take();
  let response: FetchResponse;
  try {
    response = await send(setup, url, headers, body);
  } finally {
    setup.slots.give();
  }
  const result = await resultOf(response);
  logResponseNotes(result, setup.logger);
  if (!result.ok) throw new WebAPIPlatformError(result as WebAPICallResult & { error: string });
  return result;
}

type FetchResponse = Awaited<ReturnType<FetchFunction>>;

/** WebClient's `serializeBody` for text arguments: each set value as text, URL-encoded in key order. */
function formOf(data: Record<string, unknown>): string {
  const form: Record<string, string | number | boolean> = {};
  for (const key of Object.keys(data)) {
    const value = data[key];
    if (value === undefined || value === null) continue;
    form[key] = value as string | number | boolean;
  }
  return stringify(form);
}

/** WebClient's `makeRequest` with no retries and rate limits rejected: a 429 or another status is an error. */
async function send(
  setup: LeanCallSetup,
  url: string,
  headers: Record<string, string>,
  body: Record<string, unknown>,
): Promise<FetchResponse> {
  try {
    const form = formOf(body);
    const response = await setup.fetch(url, { method: 'POST', headers, body: form, redirect: 'error' });
    if (response.status === 429) {
      const retrySec = retryAfterOf(response);
      if (retrySec !== undefined) {
        setup.rateLimited(retrySec, { url, body });
        throw new WebAPIRateLimitedError(retrySec);
      }
      throw new RetryHeaderError(
        `Retry header did not contain a valid timeout (url: ${url}, retry-after header: ${response.headers.get('retry-after')})`,
      );
    }
    if (response.status !== 200) {
      const text = await response.text();
      const answerHeaders = Object.fromEntries(response.headers.entries());
      throw retried(new WebAPIHTTPError(response.status, response.statusText, answerHeaders, text));
    }
    return response;
  } catch (error) {
    if (error instanceof WebAPIRateLimitedError || error instanceof WebAPIHTTPError) throw error;
    if (error instanceof RetryHeaderError) throw new Error(error.message);
    const message = error instanceof Error ? error.message : String(error);
    setup.logger.warn('http request failed', message);
    throw retried(new WebAPIRequestError(error instanceof Error ? error : new Error(String(error))));
  }
}

/** The counts WebClient's retry wrapper (p-retry, no retries) puts on an HTTP or request error it gives up on. */
function retried<E extends Error>(error: E): E {
  return Object.assign(error, { attemptNumber: 1, retriesLeft: 0 });
}

/** A 429 whose Retry-After is not a number: WebClient rejects it with a plain Error of this message. */
class RetryHeaderError extends Error {}

function retryAfterOf(response: FetchResponse): number | undefined {
  const header = response.headers.get('retry-after');
  if (header === null) return undefined;
  const seconds = Number.parseInt(header, 10);
  return Number.isNaN(seconds) ? undefined : seconds;
}

/** WebClient's `buildResult` for a JSON answer: parsed (or the text as the error), with the headers' notes. */
async function resultOf(response: FetchResponse): Promise<WebAPICallResult> {
  const text = await response.text();
  let data: WebAPICallResult;
  try {
    data = JSON.parse(text) as WebAPICallResult;
  } catch {
    data = { ok: false, error: text } as WebAPICallResult;
  }
  // As WebClient: only a missing one is made (a null one fails below, as it does there).
  if (data.response_metadata === undefined) data.response_metadata = {};
  const scopes = response.headers.get('x-oauth-scopes');
  if (scopes !== null) data.response_metadata.scopes = scopes.trim().split(/\s*,\s*/);
  const accepted = response.headers.get('x-accepted-oauth-scopes');
  if (accepted !== null) data.response_metadata.acceptedScopes = accepted.trim().split(/\s*,\s*/);
  const retrySec = retryAfterOf(response);
  if (retrySec !== undefined) data.response_metadata.retryAfter = retrySec;
  return data;
}

/** The warnings Slack sends with an answer, logged as WebClient logs them. */
function logResponseNotes(result: WebAPICallResult, logger: Logger): void {
  const metadata = result.response_metadata;
  // As WebClient: `forEach(logger.warn)`, each warning with its index and the list.
  metadata?.warnings?.forEach(logger.warn.bind(logger));
  for (const message of metadata?.messages ?? []) {
    const error = /\[ERROR\](.*)/.exec(message);
    const warning = /\[WARN\](.*)/.exec(message);
    if (error) logger.error((error[1] ?? '').trim());
    else if (warning) logger.warn((warning[1] ?? '').trim());
  }
}

const MESSAGE_METHODS: ReadonlySet<string> = new Set([
  'chat.postEphemeral',
  'chat.postMessage',
  'chat.scheduleMessage',
]);

/**
 * WebClient's warnings about a message's arguments, as they read arguments already text: no top-level `text`
 * (what notifications and screen readers show), or a `thread_ts` that is not a string.
 */
function warnOfMessageArguments(method: string, options: Record<string, unknown>, logger: Logger): void {
  if (!MESSAGE_METHODS.has(method)) return;
  const empty = (value: unknown) => value === undefined || value === null || value === '';
  if (empty(options.text) && (options.markdown_text === undefined || options.markdown_text === '')) {
    logger.warn(
      `The top-level \`text\` argument is missing in the request payload for a ${method} call - It's a best practice to always provide a \`text\` argument when posting a message. The \`text\` is used in places where the content cannot be rendered such as: system push notifications, assistive technology such as screen readers, etc.`,
    );
  }
  if (options.thread_ts !== undefined && typeof options.thread_ts !== 'string') {
    logger.warn(
      `The given thread_ts value in the request payload for a ${method} call is a float value. We highly recommend using a string value instead.`,
    );
  }
}
