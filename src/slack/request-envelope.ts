import { z } from 'zod';
import { slashCommandSchema } from './payloads.js';

/**
 * The outer shape of every request Slack sends to `POST /slack/events`, checked before Bolt sees it:
 * what kind it is, which workspace it comes from, and where a refusal can be shown. Pure (no I/O).
 * A request that does not fit is malformed (HTTP 400), so no listener ever runs on half a payload.
 */

const id = z.string().min(1).max(64);
const user = z.object({ id, team_id: z.string().optional() }).loose();
const team = z.object({ id }).loose().nullish();
const view = z.object({ id, callback_id: z.string(), blocks: z.array(z.unknown()).optional() }).loose();
const interactiveBase = { user, team, response_url: z.string().optional() };

const interactiveSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('block_actions'),
      ...interactiveBase,
      actions: z.array(z.object({ action_id: z.string() }).loose()).min(1),
    })
    .loose(),
  z.object({ type: z.literal('view_submission'), ...interactiveBase, view }).loose(),
  z.object({ type: z.literal('view_closed'), ...interactiveBase, view }).loose(),
  z.object({ type: z.literal('message_action'), ...interactiveBase, callback_id: z.string() }).loose(),
  z.object({ type: z.literal('shortcut'), ...interactiveBase, callback_id: z.string() }).loose(),
  z.object({ type: z.literal('block_suggestion'), ...interactiveBase, action_id: z.string() }).loose(),
]);

const jsonSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('event_callback'),
      team_id: id,
      event_id: id,
      event: z.object({ type: id }).loose(),
    })
    .loose(),
  z.object({ type: z.literal('url_verification'), challenge: z.string() }).loose(),
  // Slack's notice that it is dropping this app's events; answered by the unhandled-request path.
  z.object({ type: z.literal('app_rate_limited') }).loose(),
]);

export type InteractiveType = z.infer<typeof interactiveSchema>['type'];

export type SlackRequest =
  | { kind: 'command'; teamId: string; command: string; responseUrl: string | undefined }
  | {
      kind: 'interactive';
      type: InteractiveType;
      teamId: string | undefined;
      responseUrl: string | undefined;
      /** The first input block of a submitted view: where a refusal can be shown in the form. */
      firstInputBlockId: string | undefined;
    }
  | { kind: 'event'; teamId: string; eventType: string }
  /** Slack's own checks (`url_verification`, `ssl_check`, `app_rate_limited`): no workspace to compare. */
  | { kind: 'platform' };

export type EnvelopeResult = { ok: true; request: SlackRequest } | { ok: false; problem: string };

export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';
export const JSON_MEDIA_TYPE = 'application/json';

/** Classify a raw request body by its media type (already lower-cased, without parameters). */
export function readSlackRequest(mediaType: string, rawBody: string): EnvelopeResult {
  if (mediaType === FORM_MEDIA_TYPE) return readForm(new URLSearchParams(rawBody));
  if (mediaType === JSON_MEDIA_TYPE) {
    const parsed = parseJson(rawBody);
    if (!parsed.ok) return { ok: false, problem: 'body is not valid JSON' };
    const result = jsonSchema.safeParse(parsed.value);
    if (!result.success)
      return { ok: false, problem: `not a Slack event request (${describe(result.error)})` };
    const body = result.data;
    return body.type === 'event_callback'
      ? { ok: true, request: { kind: 'event', teamId: body.team_id, eventType: body.event.type } }
      : { ok: true, request: { kind: 'platform' } };
  }
  return { ok: false, problem: `unsupported content type "${mediaType || '(none)'}"` };
}

function readForm(form: URLSearchParams): EnvelopeResult {
  if (form.get('ssl_check') === '1') return { ok: true, request: { kind: 'platform' } };
  const payload = form.get('payload');
  if (payload !== null) {
    const parsed = parseJson(payload);
    if (!parsed.ok) return { ok: false, problem: 'payload is not valid JSON' };
    const result = interactiveSchema.safeParse(parsed.value);
    if (!result.success) return { ok: false, problem: `not a Slack interaction (${describe(result.error)})` };
    const p = result.data;
    return {
      ok: true,
      request: {
        kind: 'interactive',
        type: p.type,
        teamId: p.team?.id ?? p.user.team_id,
        responseUrl: p.response_url || undefined,
        firstInputBlockId:
          'view' in p && p.type === 'view_submission' ? firstInputBlock(p.view.blocks) : undefined,
      },
    };
  }
  if (!form.has('command'))
    return { ok: false, problem: 'neither a slash command nor an interaction payload' };
  const result = slashCommandSchema.safeParse(Object.fromEntries(form));
  if (!result.success) return { ok: false, problem: `not a Slack slash command (${describe(result.error)})` };
  const { team_id: teamId, command, response_url: responseUrl } = result.data;
  return { ok: true, request: { kind: 'command', teamId, command, responseUrl: responseUrl || undefined } };
}

function firstInputBlock(blocks: unknown[] | undefined): string | undefined {
  const input = blocks?.find(
    (b): b is { block_id: string } =>
      typeof b === 'object' &&
      b !== null &&
      (b as { type?: unknown }).type === 'input' &&
      typeof (b as { block_id?: unknown }).block_id === 'string',
  );
  return input?.block_id;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The first problem zod found, by path: enough for a log line, never the payload's content. */
function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
