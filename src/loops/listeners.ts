import type { RespondFn } from '@slack/bolt';
import { z } from 'zod';
import { UserFacingError } from '../errors.js';
import { ResolvedDmActions } from '../slack/ids.js';
import type { ListenerRegistry } from '../slack/listener-router.js';
import { blockActionsSchema, SORRY_MALFORMED } from '../slack/payloads.js';
import type { ThankFixersForm } from './thank-fixers.js';

export type LoopsListenerDeps = {
  thankFixersForm(userId: string, itemId: number): ThankFixersForm;
};

const itemId = z.coerce.number().int().positive();

const reply = async (respond: RespondFn, text: string) => {
  await respond({ response_type: 'ephemeral', replace_original: false, text });
};

/** The button in the reporter's "resolved" DM that opens the kudos form for the people who fixed the item. */
export function registerLoopsListeners(app: ListenerRegistry, deps: LoopsListenerDeps): void {
  app.action(ResolvedDmActions.thankFixers, async ({ ack, body, client, respond }) => {
    await ack();
    const click = blockActionsSchema.safeParse(body);
    const id = itemId.safeParse(click.data?.actions[0]?.value);
    if (!click.success || !id.success) return reply(respond, SORRY_MALFORMED);
    const form = deps.thankFixersForm(click.data.user.id, id.data);
    if (!form.ok) return reply(respond, form.text);
    await client.views.open({ trigger_id: click.data.trigger_id, view: form.view }).catch((e: unknown) => {
      throw new UserFacingError(
        'kudos_form_unavailable',
        'Sorry, I could not open the kudos form just now (Slack allows only 3 seconds). Please click again.',
        { cause: e },
      );
    });
  });
}
