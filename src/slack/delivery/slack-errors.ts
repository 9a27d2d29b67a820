import { ErrorCode } from '@slack/web-api';

/** How the outbox should treat a failed Slack call. */
export type FailureClass =
  | { kind: 'rate-limited'; retryAfterMs: number }
  | { kind: 'transient'; reason: string }
  | { kind: 'permanent'; reason: string };

/** Slack `ok:false` codes that are worth retrying: Slack's side hiccuped, not our request. */
const TRANSIENT_PLATFORM_ERRORS = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
  'team_added_to_org',
]);

type MaybeSlackError = {
  code?: unknown;
  retryAfter?: unknown;
  data?: { error?: unknown };
  statusCode?: unknown;
  message?: unknown;
};

/** The Slack error code of a Web API platform error (`channel_not_found`), if it is one. */
export function slackErrorCode(error: unknown): string | undefined {
  const e = error as MaybeSlackError | null;
  if (e && e.code === ErrorCode.PlatformError && typeof e.data?.error === 'string') return e.data.error;
  return undefined;
}

export function classifySlackFailure(error: unknown): FailureClass {
  const e = (error ?? {}) as MaybeSlackError;
  switch (e.code) {
    case ErrorCode.RateLimitedError: {
      const seconds = typeof e.retryAfter === 'number' && e.retryAfter > 0 ? e.retryAfter : 1;
      return { kind: 'rate-limited', retryAfterMs: seconds * 1000 };
    }
    case ErrorCode.PlatformError: {
      const code = slackErrorCode(error) ?? 'unknown_error';
      return TRANSIENT_PLATFORM_ERRORS.has(code)
        ? { kind: 'transient', reason: code }
        : { kind: 'permanent', reason: code };
    }
    case ErrorCode.HTTPError: {
      const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
      // 5xx and 408 are Slack or the network having a bad moment; other 4xx will not get better.
      return status >= 500 || status === 408
        ? { kind: 'transient', reason: `http_${status}` }
        : { kind: 'permanent', reason: `http_${status}` };
    }
    case ErrorCode.RequestError:
      return { kind: 'transient', reason: `request_error: ${String(e.message ?? '')}` };
    default:
      // Our own bug (a handler threw), or a timeout without a code: retry a few times, then park it.
      return { kind: 'transient', reason: error instanceof Error ? error.message : String(error) };
  }
}
