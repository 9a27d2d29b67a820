import {
  type FetchFunction,
  type Logger,
  type WebAPICallResult,
  WebClient,
  WebClientEvent,
  type WebClientOptions,
} from '@slack/web-api';
import { callSlots, isTextForm, type LeanCallSetup, leanApiCall, SPECIAL_METHODS } from './lean-api-call.js';

/**
 * The bot's WebClient. Each call's object arguments (blocks, metadata, a view) are first made the JSON text
 * WebClient would make of them: the form it sends is byte for byte the same. A call whose arguments are then
 * all text is made by `leanApiCall`, as WebClient makes it but without building its debug lines (the answer's
 * walks every key of the message Slack echoes); anything else (a file upload, the few methods WebClient treats
 * apart) goes through WebClient itself, which then has only top-level keys to walk.
 *
 * The lean path needs what WebClient was built with: no retries of its own, rate limits rejected at once, no
 * timeout signal (`createSlackClient`). It keeps WebClient's bound on calls under way at once and emits its
 * `rate_limited` event. Its headers are read from the client as WebClient built them, so they match; a
 * WebClient whose fields are not as this expects (another version) makes every call itself. WebClient's debug
 * lines (each request and answer) are not written for these calls.
 */
export class EncodedArgsWebClient extends WebClient {
  /** Everything the lean path needs, fixed when the client is built; undefined: WebClient makes every call. */
  readonly #lean: LeanCallSetup | undefined;

  constructor(
    token: string | undefined,
    options: WebClientOptions & { fetch: FetchFunction; logger: Logger },
  ) {
    super(token, options);
    // What the lean path does: no retries, rate limits rejected, no timeout signal (the fetch has its own),
    // method names only. WebClient's headers and team, as it built them (the same objects it sends).
    const plain =
      options.retryConfig?.retries === 0 &&
      options.rejectRateLimitedCalls === true &&
      (options.timeout ?? 0) === 0 &&
      options.allowAbsoluteUrls !== false;
    const { defaultHeaders: headers, teamId } = this as unknown as {
      defaultHeaders?: unknown;
      teamId?: unknown;
    };
    const built = isHeaderRecord(headers) && (teamId === undefined || typeof teamId === 'string');
    this.#lean =
      plain && built
        ? {
            apiUrl: this.slackApiUrl,
            headers,
            teamId,
            fetch: options.fetch,
            logger: options.logger,
            rateLimited: (retrySec, request) => this.emit(WebClientEvent.RATE_LIMITED, retrySec, request),
            slots: callSlots(options.maxRequestConcurrency ?? DEFAULT_CONCURRENCY),
          }
        : undefined;
  }

  override apiCall(method: string, options: Record<string, unknown> = {}): Promise<WebAPICallResult> {
    if (method === 'files.uploadV2' || typeof options !== 'object' || options === null) {
      return super.apiCall(method, options);
    }
    const encoded = encodeArguments(options);
    const lean = this.#lean;
    const itself = !lean || SPECIAL_METHODS.has(method) || isAbsolute(method) || !isTextForm(encoded);
    return itself ? super.apiCall(method, encoded) : leanApiCall(lean, method, encoded);
  }
}

/** WebClient's own bound on calls under way at once, when it is given none. */
const DEFAULT_CONCURRENCY = 100;

/** A URL rather than a method name: WebClient decides what it is from its ending; it makes that call. */
function isAbsolute(method: string): boolean {
  return method.startsWith('https://') || method.startsWith('http://');
}

function isHeaderRecord(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).every((v) => typeof v === 'string');
}

/** The arguments with each plain object or array value replaced by its JSON text, as WebClient's form has it. */
export function encodeArguments(options: Record<string, unknown>): Record<string, unknown> {
  const encoded: Record<string, unknown> = {};
  for (const key of Object.keys(options)) {
    const value = options[key];
    encoded[key] = isPlainData(value) ? JSON.stringify(value) : value;
  }
  return encoded;
}

function isPlainData(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
