import type { BufferedIncomingMessage } from '@slack/bolt';
import type { Logger } from 'pino';
import { findUserFacingError } from '../errors.js';
import { findDatabaseFault } from '../store/db-faults.js';
import { readSlackRequest, type SlackRequest } from './request-envelope.js';

/**
 * The one place errors from listeners end up (ARCHITECTURE.md). `app.error` logs with the request's
 * context and rethrows; the receiver's `processEventErrorHandler` then answers the person:
 * - not yet acknowledged slash command: HTTP 200 with an ephemeral apology (Slack shows it at once);
 * - not yet acknowledged form: HTTP 200 with the apology on its first input, so the form stays open with
 *   what the person typed;
 * - not yet acknowledged click or shortcut: HTTP 200, and the apology at the payload's response_url;
 * - events (and anything else): HTTP 500, so Slack retries later;
 * - already acknowledged and the payload has a response_url: the apology is posted there.
 */

export const GENERIC_APOLOGY = 'Sorry, something went wrong on my side and I could not finish that.';

export function apologyFor(error: unknown): string {
  const userFacing = findUserFacingError(error);
  if (userFacing) return userFacing.userMessage;
  const database = findDatabaseFault(error);
  if (database) return database.userMessage;
  const code = (error as { code?: unknown })?.code;
  return `${GENERIC_APOLOGY} Please try again in a minute.${typeof code === 'string' ? ` (error: ${code})` : ''}`;
}

/** What kind of request failed, from its raw body (the gate has already checked its shape). */
function requestOf(request: unknown): SlackRequest | undefined {
  const message = request as Partial<BufferedIncomingMessage>;
  const raw = message.rawBody?.toString('utf8') ?? '';
  const mediaType = String(message.headers?.['content-type'] ?? '').split(';')[0] ?? '';
  const read = readSlackRequest(mediaType.trim().toLowerCase(), raw);
  return read.ok ? read.request : undefined;
}

/**
 * Log a failed request once. A UserFacingError is an expected refusal (the product working: a bot's message
 * cannot be thanked, kudos are not set up): info, with its code and no stack. Anything else is a bug: error.
 */
export function logListenerFailure(logger: Logger, error: unknown, where: Record<string, unknown>): void {
  const refusal = findUserFacingError(error);
  if (refusal) logger.info({ ...where, code: refusal.code }, 'request refused with an explanation');
  else logger.error({ ...where, err: error }, 'listener failed');
}

export type ResponseUrlPoster = (url: string, body: Record<string, unknown>) => Promise<void>;

export const postToResponseUrl: ResponseUrlPoster = async (url, body) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`response_url answered ${res.status}`);
};

type ProcessEventErrorArgs = {
  error: Error;
  logger: unknown;
  request: unknown;
  response: {
    headersSent: boolean;
    writeHead(status: number, headers?: Record<string, string>): unknown;
    end(body?: string): unknown;
  };
};

export function createProcessEventErrorHandler(logger: Logger, post: ResponseUrlPoster = postToResponseUrl) {
  const log = logger.child({ module: 'error-path' });
  return async ({ error, request, response }: ProcessEventErrorArgs): Promise<boolean> => {
    const failed = requestOf(request);
    const text = apologyFor(error);
    const responseUrl =
      failed?.kind === 'command' || failed?.kind === 'interactive' ? failed.responseUrl : undefined;
    if (!response.headersSent) {
      const answer = immediateAnswer(failed, text);
      if (answer === undefined) {
        // Events: a 500 makes Slack retry, which is what a passing fault (a locked database) needs.
        response.writeHead(500);
        response.end();
        return false;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer));
      if (failed?.kind === 'command') return true;
    }
    if (responseUrl) {
      await post(responseUrl, { response_type: 'ephemeral', replace_original: false, text }).catch(
        (e: unknown) => log.warn({ err: e }, 'could not post the apology to response_url'),
      );
    }
    return !response.headersSent;
  };
}

/**
 * The HTTP answer to a request that failed before it was acknowledged: a command shows the apology at once;
 * a form stays open with the apology on its first field; a click or shortcut gets a plain 200 and the
 * apology at its response_url. Undefined: answer 500 (events, so Slack retries; anything with no way back).
 */
function immediateAnswer(failed: SlackRequest | undefined, text: string): object | undefined {
  if (failed?.kind === 'command') return { response_type: 'ephemeral', text };
  if (failed?.kind !== 'interactive') return undefined;
  if (failed.type === 'view_submission') {
    return failed.firstInputBlockId
      ? { response_action: 'errors', errors: { [failed.firstInputBlockId]: text } }
      : undefined;
  }
  return failed.responseUrl ? {} : undefined;
}
