import type { BufferedIncomingMessage } from '@slack/bolt';
import type { Logger } from 'pino';
import { findUserFacingError } from '../errors.js';

/**
 * The one place errors from listeners end up (DESIGN.md rule 7). `app.error` logs with the request's
 * context and rethrows; the receiver's `processEventErrorHandler` then answers the person:
 * - not yet acknowledged slash command: HTTP 200 with an ephemeral apology (Slack shows it at once);
 * - anything else not yet acknowledged: HTTP 500, so Slack shows its own failure notice and, for a
 *   modal, keeps the form open with what the person typed;
 * - already acknowledged and the payload has a response_url: the apology is posted there.
 */

export const GENERIC_APOLOGY = 'Sorry, something went wrong on my side and I could not finish that.';

export function apologyFor(error: unknown): string {
  const userFacing = findUserFacingError(error);
  if (userFacing) return userFacing.userMessage;
  const code = (error as { code?: unknown })?.code;
  return `${GENERIC_APOLOGY} Please try again in a minute.${typeof code === 'string' ? ` (error: ${code})` : ''}`;
}

type ParsedBody = { command?: string; response_url?: string; payload?: { response_url?: string } };

function parseBody(request: unknown): ParsedBody {
  const raw = (request as Partial<BufferedIncomingMessage>).rawBody?.toString('utf8') ?? '';
  try {
    if (raw.startsWith('{')) return JSON.parse(raw) as ParsedBody;
    const form = new URLSearchParams(raw);
    const payload = form.get('payload');
    if (payload) return { payload: JSON.parse(payload) as { response_url?: string } };
    const command = form.get('command') ?? undefined;
    const responseUrl = form.get('response_url') ?? undefined;
    return { ...(command ? { command } : {}), ...(responseUrl ? { response_url: responseUrl } : {}) };
  } catch {
    return {};
  }
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
    const body = parseBody(request);
    const text = apologyFor(error);
    if (!response.headersSent) {
      if (body.command) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ response_type: 'ephemeral', text }));
        return true;
      }
      response.writeHead(500);
      response.end();
      return false;
    }
    const url = body.response_url ?? body.payload?.response_url;
    if (url) {
      await post(url, { response_type: 'ephemeral', replace_original: false, text }).catch((e: unknown) =>
        log.warn({ err: e }, 'could not post the apology to response_url'),
      );
    }
    return false;
  };
}
