import { ErrorCode } from '@slack/web-api';

/** How the outbox should treat a failed Slack call. */
export type FailureClass =
  | { kind: 'rate-limited'; retryAfterMs: number }
  /** Slack unreachable, answering 5xx, or too slow: the shared circuit backs off; the outcome is unknown. */
  | { kind: 'outage'; reason: string }
  /** The bot token itself is refused: nothing can be delivered until it works again. */
  | { kind: 'token'; reason: string }
  | { kind: 'transient'; reason: string }
  | { kind: 'permanent'; reason: string };

/** Slack codes meaning the app's token is refused (uninstalled, revoked, deactivated): no post can succeed. */
export const TOKEN_ERRORS: ReadonlySet<string> = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'app_uninstalled',
  'tokens_revoked',
]);

/** Slack codes meaning this one conversation cannot take our posts: the admins must fix the channel. */
export const CHANNEL_ERRORS: ReadonlySet<string> = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'cannot_dm_bot',
  'user_not_found',
  'user_disabled',
]);

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
      if (TOKEN_ERRORS.has(code)) return { kind: 'token', reason: code };
      return TRANSIENT_PLATFORM_ERRORS.has(code)
        ? { kind: 'transient', reason: code }
        : { kind: 'permanent', reason: code };
    }
    case ErrorCode.HTTPError: {
      const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
      // 5xx and 408 are Slack or the network having a bad moment; other 4xx will not get better.
      return status >= 500 || status === 408
        ? { kind: 'outage', reason: `http_${status}` }
        : { kind: 'permanent', reason: `http_${status}` };
    }
    case ErrorCode.RequestError:
      // Refused, reset or timed out: Slack (or the way to it) is down, and a timed-out post may have landed.
      return { kind: 'outage', reason: `request_error: ${String(e.message ?? '')}` };
    default:
      // Our own bug (a handler threw), or a timeout without a code: retry a few times, then park it.
      return { kind: 'transient', reason: error instanceof Error ? error.message : String(error) };
  }
}
