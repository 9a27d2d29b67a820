import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { type BufferedIncomingMessage, HTTPModuleFunctions } from '@slack/bolt';
import type { Logger } from 'pino';
import type { ResponseUrlPoster } from './error-path.js';
import { readSlackRequest, type SlackRequest } from './request-envelope.js';

/**
 * Everything posted to the Slack endpoint passes here before Bolt sees it (HTTP mode):
 * - a missing or wrong signature, or a timestamp more than 5 minutes away in either direction: 401;
 *   Bolt only refuses old timestamps, and a request signed for the future could be replayed for hours;
 * - a body that is not a Slack request of a known shape: 400, so no listener runs on half a payload
 *   (Bolt answered some with 500 or 404 after 3 s, and `payload=null` crashed the process);
 * - a command, interaction or event from a workspace other than the one the bot token belongs to:
 *   200 and a polite refusal the person can see (events: 200, since a 4xx would count toward Slack
 *   disabling the app's events), and nothing stored or posted.
 * Every refusal is logged at warn with the reason, never with the body's content.
 * This is the only signature check: Bolt's receiver is built with `signatureVerification: false` behind it.
 */

export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

const SSL_CHECK = /(^|&)ssl_check=1(&|$)/;

export const OTHER_WORKSPACE_TEXT =
  'Sorry, Courtesy Loop is installed for another workspace, so it cannot act on requests from yours. ' +
  'Nothing was saved. Ask your Slack admin if you would like it installed for your workspace.';

export type RequestGateOptions = {
  signingSecret: string;
  logger: Logger;
  /** The workspace the bot token belongs to (auth.test); undefined until Slack has answered once. */
  installedTeamId: () => string | undefined;
  postToResponseUrl: ResponseUrlPoster;
  endpoint?: string;
  nowMs?: () => number;
};

/** Wrap the receiver's request listener so every request to the Slack endpoint is checked first. */
export function gateSlackRequests(next: RequestListener, options: RequestGateOptions): RequestListener {
  const endpoint = options.endpoint ?? '/slack/events';
  const log = options.logger.child({ module: 'request-gate' });
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'POST' || path !== endpoint) return next(req, res);
    checkRequest(req, res, options, log)
      .then((pass) => {
        if (pass) next(req, res);
      })
      .catch((err: unknown) => {
        log.error({ err }, 'request check failed');
        if (!res.headersSent) answer(res, 400, 'Bad request');
      });
  };
}

async function checkRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: RequestGateOptions,
  log: Logger,
): Promise<boolean> {
  let buffered: BufferedIncomingMessage;
  try {
    buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, HTTPModuleFunctions.defaultBodyLimit);
  } catch (err) {
    const tooLarge = HTTPModuleFunctions.isRawBodyError(err) && err.statusCode === 413;
    log.warn({ reason: tooLarge ? 'body too large' : 'body unreadable' }, 'request refused');
    // The rest of the body is never read: close the connection so the client does not reuse it.
    res.setHeader('connection', 'close');
    answer(res, tooLarge ? 413 : 400, tooLarge ? 'Payload too large' : 'Bad request');
    return false;
  }
  const rawBody = buffered.rawBody.toString('utf8');
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  // Bolt reads only the exact media type; a charset parameter would make it parse a form as JSON.
  req.headers['content-type'] = mediaType;

  if (mediaType === 'application/x-www-form-urlencoded' && SSL_CHECK.test(rawBody)) {
    // Slack's unsigned certificate check: answered here and never handed on, so nothing smuggled beside it
    // (a command, a payload) reaches a listener. Bolt's receiver no longer checks signatures (see app.ts).
    answer(res, 200, '');
    return false;
  }
  const refused = signatureProblem(req, rawBody, options);
  if (refused) {
    log.warn({ reason: refused }, 'request refused: not signed by Slack');
    answer(res, 401, 'Unauthorized');
    return false;
  }

  const read = readSlackRequest(mediaType, rawBody);
  if (!read.ok) {
    log.warn(
      { reason: read.problem, contentType: mediaType, bytes: rawBody.length },
      'request refused: malformed',
    );
    answer(res, 400, `Bad request: ${read.problem}`);
    return false;
  }
  const request = read.request;
  if (request.kind === 'platform') return true;
  const installed = options.installedTeamId();
  if (installed === undefined || request.teamId === undefined || request.teamId === installed) return true;
  log.warn(
    { team: request.teamId, installedTeam: installed, request: describeRequest(request) },
    'request refused: from another workspace',
  );
  refuseOtherWorkspace(res, request, options, log);
  return false;
}

function signatureProblem(
  req: IncomingMessage,
  body: string,
  options: RequestGateOptions,
): string | undefined {
  const signature = req.headers['x-slack-signature'];
  const timestamp = req.headers['x-slack-request-timestamp'];
  if (typeof signature !== 'string' || typeof timestamp !== 'string') return 'signature headers missing';
  const seconds = Number(timestamp);
  if (!/^\d+$/.test(timestamp) || !Number.isSafeInteger(seconds)) return 'timestamp is not a number';
  const nowMs = options.nowMs?.() ?? Date.now();
  const skew = seconds - Math.floor(nowMs / 1000);
  if (Math.abs(skew) > MAX_CLOCK_SKEW_SECONDS) {
    return `timestamp is ${Math.abs(skew)} s in the ${skew < 0 ? 'past' : 'future'} (at most ${MAX_CLOCK_SKEW_SECONDS} s allowed)`;
  }
  return signatureMatches(options.signingSecret, seconds, body, signature)
    ? undefined
    : 'signature does not match';
}

const SIGNATURE = /^v0=[0-9a-f]{64}$/;

/**
 * Slack's v0 signature: hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the signing secret, compared in
 * constant time. Bolt's verifySlackRequest does the same through tsscmp, which draws random bytes and computes two
 * more HMACs for every compare (about 2% of the app's CPU in a profile of reaction events); timingSafeEqual on the
 * digests needs neither.
 */
function signatureMatches(secret: string, seconds: number, body: string, signature: string): boolean {
  if (!SIGNATURE.test(signature)) return false;
  const expected = createHmac('sha256', secret).update(`v0:${seconds}:${body}`).digest();
  return timingSafeEqual(Buffer.from(signature.slice(3), 'hex'), expected);
}

function refuseOtherWorkspace(
  res: ServerResponse,
  request: Exclude<SlackRequest, { kind: 'platform' }>,
  options: RequestGateOptions,
  log: Logger,
): void {
  if (request.kind === 'command') {
    answerJson(res, { response_type: 'ephemeral', text: OTHER_WORKSPACE_TEXT });
    return;
  }
  if (request.kind === 'event') {
    answer(res, 200, '');
    return;
  }
  if (request.type === 'view_submission' && request.firstInputBlockId) {
    answerJson(res, {
      response_action: 'errors',
      errors: { [request.firstInputBlockId]: OTHER_WORKSPACE_TEXT },
    });
    return;
  }
  if (request.type === 'block_suggestion') answerJson(res, { options: [] });
  else answer(res, 200, '');
  if (request.responseUrl) {
    options
      .postToResponseUrl(request.responseUrl, {
        response_type: 'ephemeral',
        replace_original: false,
        text: OTHER_WORKSPACE_TEXT,
      })
      .catch((err: unknown) => log.warn({ err }, 'could not post the refusal to response_url'));
  }
}

function describeRequest(request: Exclude<SlackRequest, { kind: 'platform' }>): string {
  if (request.kind === 'command') return request.command;
  if (request.kind === 'event') return `event ${request.eventType}`;
  return request.type;
}

function answer(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function answerJson(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
