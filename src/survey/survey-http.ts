import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import getRawBody from 'raw-body';
import { z } from 'zod';
import type { OrgConfig } from '../config/org-schema.js';
import type { WebPage } from '../slack/web-page.js';
import {
  alreadyAnsweredPage,
  COMMENT_MAX,
  expiredPage,
  notFoundPage,
  problemPage,
  SURVEY_CSP,
  surveyFormPage,
  thanksPage,
  tooManyPage,
} from './survey-page.js';
import type { SurveyService, SurveyState } from './survey-service.js';
import { readSurveyToken } from './survey-token.js';

/** Where the survey lives: `<survey.public_url>/s/<token>`. */
export const SURVEY_PREFIX = '/s/';
/** More requests than this in a minute from one address get 429. */
export const SURVEY_REQUESTS_PER_MINUTE = 10;
/** A form with a 2000-character comment is far below this, even with every character percent-encoded. */
const BODY_LIMIT = '24kb';

export type SurveyPageDeps = {
  survey: SurveyService;
  config: () => OrgConfig;
  /** SURVEY_SECRET; without it no link can be checked, so every token is unknown. */
  secret: string | undefined;
  logger: Logger;
  /** An answer was stored and its messages queued: deliver them now. */
  outboxQueued: () => void;
};

const formSchema = z.object({
  score: z.coerce.number().int().min(1).max(5),
  comment: z
    .string()
    .max(COMMENT_MAX * 2)
    .transform((v) => v.replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().max(COMMENT_MAX))
    .optional(),
});

function send(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': SURVEY_CSP,
    'x-content-type-options': 'nosniff',
    // The token is in the address: never hand it to another site.
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(html);
}

/** The caller's address: the socket's, or with `survey.trust_proxy` the one the proxy in front appended last. */
function addressOf(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  const value = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
  const last = value?.split(',').at(-1)?.trim();
  return (trustProxy && last) || req.socket.remoteAddress || 'unknown';
}

/**
 * The page for a survey that cannot take an answer, or undefined when it is open. Answered already: shown with
 * 200 when opened again, 409 when posted again (nothing was stored).
 */
function closedPage(
  state: Pick<SurveyState, 'state'>,
  company: string,
  posted: boolean,
): [number, string] | undefined {
  if (state.state === 'unknown') return [404, notFoundPage(company)];
  if (state.state === 'expired') return [410, expiredPage(company)];
  if (state.state === 'answered') return [posted ? 409 : 200, alreadyAnsweredPage(company)];
  return undefined;
}

async function readForm(req: IncomingMessage) {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return { status: 415 as const };
  const body = await getRawBody(req, { limit: BODY_LIMIT, encoding: 'utf8' });
  const params = new URLSearchParams(body);
  const parsed = formSchema.safeParse({
    score: params.get('score') ?? undefined,
    comment: params.get('comment') ?? undefined,
  });
  return { status: 200 as const, parsed, raw: params };
}

/**
 * The customer survey page (GET shows the question, POST stores the answer) behind a per-address rate limit.
 * Forged, malformed or unknown tokens: 404; expired: 410; answered already: a page saying so, nothing stored.
 */
export function createSurveyPage(deps: SurveyPageDeps): WebPage {
  const limiter = new RateLimiterMemory({ points: SURVEY_REQUESTS_PER_MINUTE, duration: 60 });
  const log = deps.logger.child({ module: 'survey-page' });

  const answer = async (
    req: IncomingMessage,
    res: ServerResponse,
    ref: { publicId: string; expiresAt: number },
  ) => {
    const company = deps.config().company.name;
    const form = await readForm(req);
    if (form.status === 415) {
      // The body was not read: the client must not reuse the connection.
      const problem = 'Please send the form from the survey page.';
      return send(res, 415, surveyFormPage({ company, problem }), { connection: 'close' });
    }
    const closed = closedPage(deps.survey.stateOf(ref), company, true);
    if (closed) return send(res, closed[0], closed[1]);
    if (!form.parsed.success) {
      const score = Number(form.raw.get('score'));
      return send(
        res,
        400,
        surveyFormPage({
          company,
          problem: `Please choose how satisfied you are, from 1 to 5 (and keep the comment under ${COMMENT_MAX} characters).`,
          score: Number.isInteger(score) ? score : undefined,
          comment: (form.raw.get('comment') ?? '').slice(0, COMMENT_MAX),
        }),
      );
    }
    const { score, comment } = form.parsed.data;
    const result = deps.survey.answer(ref, { score, comment: comment || undefined, via: 'page' });
    if (result.state !== 'stored') {
      const [status, html] = closedPage(result, company, true) ?? [409, alreadyAnsweredPage(company)];
      return send(res, status, html);
    }
    deps.outboxQueued();
    log.info({ survey: result.request.id, item: result.request.itemId, score }, 'survey answered');
    send(res, 200, thanksPage(company, score, comment || undefined));
  };

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const config = deps.config();
    const company = config.company.name;
    try {
      await limiter.consume(addressOf(req, config.survey.trust_proxy));
    } catch (refused) {
      if (!(refused instanceof RateLimiterRes)) throw refused;
      const seconds = Math.max(1, Math.ceil(refused.msBeforeNext / 1000));
      return send(res, 429, tooManyPage(company, seconds), { 'retry-after': String(seconds) });
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const token = path.slice(SURVEY_PREFIX.length);
    const ref = deps.secret ? readSurveyToken(deps.secret, token) : undefined;
    if (!ref) return send(res, 404, notFoundPage(company));
    if (req.method === 'POST') return answer(req, res, ref);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, notFoundPage(company), { allow: 'GET, HEAD, POST' });
    }
    const state = deps.survey.stateOf(ref);
    const [status, html] = closedPage(state, company, false) ?? [200, surveyFormPage({ company })];
    send(res, status, req.method === 'HEAD' ? '' : html);
  };

  return {
    prefix: SURVEY_PREFIX,
    handle(req, res) {
      serve(req, res).catch((error: unknown) => {
        const tooLarge = (error as { type?: string } | undefined)?.type === 'entity.too.large';
        if (!tooLarge) log.error({ err: error }, 'survey page failed');
        if (res.headersSent) {
          res.end();
          return;
        }
        // The rest of the body is not read: the client must not reuse the connection.
        res.setHeader('connection', 'close');
        const company = deps.config().company.name;
        send(
          res,
          tooLarge ? 413 : 500,
          tooLarge
            ? problemPage(
                company,
                'Too much text',
                `Please keep the comment under ${COMMENT_MAX} characters.`,
              )
            : problemPage(company, 'Something went wrong', 'Sorry, please try again in a minute.'),
        );
      });
    },
  };
}
