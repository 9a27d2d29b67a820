import { z } from 'zod';

/**
 * What we rely on in Slack's payloads, checked before use. Slack sends more fields; we keep them
 * (`loose`) but refuse a payload that lacks what a listener needs, with a polite answer instead of a crash.
 */

const id = z.string().min(1).max(64);

export const slashCommandSchema = z
  .object({
    command: z.string().min(1),
    text: z.string().default(''),
    user_id: id,
    team_id: id,
    channel_id: id,
    trigger_id: z.string().min(1),
    response_url: z.string().optional(),
  })
  .loose();
export const messageShortcutSchema = z
  .object({
    type: z.literal('message_action'),
    callback_id: z.string(),
    trigger_id: z.string().min(1),
    user: z.object({ id }).loose(),
    team: z.object({ id }).loose().nullish(),
    channel: z.object({ id }).loose(),
    message: z
      .object({
        ts: z.string().min(1),
        text: z.string().optional().default(''),
        user: z.string().optional(),
        bot_id: z.string().optional(),
        thread_ts: z.string().optional(),
      })
      .loose(),
    response_url: z.string().optional(),
  })
  .loose();
export const viewSubmissionSchema = z
  .object({
    type: z.literal('view_submission'),
    user: z.object({ id, team_id: id.optional() }).loose(),
    team: z.object({ id }).loose().nullish(),
    view: z
      .object({
        id: z.string().min(1),
        callback_id: z.string(),
        private_metadata: z.string().optional(),
        hash: z.string().optional(),
        state: z.object({ values: z.record(z.string(), z.unknown()) }).loose(),
      })
      .loose(),
  })
  .loose();
export const SORRY_MALFORMED =
  'Sorry, Slack sent me an incomplete request, so nothing was saved. Please try again; if it keeps happening, tell your Courtesy Loop admin.';

export const blockActionsSchema = z
  .object({
    type: z.literal('block_actions'),
    trigger_id: z.string().min(1),
    user: z.object({ id }).loose(),
    team: z.object({ id }).loose().nullish(),
    channel: z.object({ id }).loose().nullish(),
    actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() }).loose()).min(1),
    response_url: z.string().optional(),
  })
  .loose();

/** A view's `private_metadata` (JSON the app wrote when it opened the view), checked; undefined if it does not fit. */
export function parsePrivateMetadata<T>(schema: z.ZodType<T>, raw: string | undefined): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(raw ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
