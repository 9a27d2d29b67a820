import type { App, RespondFn } from '@slack/bolt';
import { z } from 'zod';
import { UserFacingError } from '../errors.js';
import { parseButtonValue } from '../feedback/lifecycle.js';
import { FormAction, OutcomeActions, OutcomeBlocks, Views } from '../slack/ids.js';
import { blockActionsSchema, SORRY_MALFORMED, viewSubmissionSchema } from '../slack/payloads.js';
import { answerText, contactText, leftModal, waitingRefusalText } from './blocks.js';
import type { OutcomeService } from './service.js';

export type OutcomeListenerDeps = { outcomes: OutcomeService; outboxQueued: () => void };

const contactValue = z
  .string()
  .regex(/^\d{1,15}:\d{1,15}$/)
  .transform((v) => v.split(':').map(Number) as [number, number]);
const idValue = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);
const leftMetadata = z.object({ followUpId: z.number().int().positive() });
const leftState = z.object({
  [OutcomeBlocks.leaveReason]: z.object({
    [FormAction]: z.object({ selected_option: z.object({ value: z.string() }).loose().nullish() }).loose(),
  }),
  [OutcomeBlocks.leaveNote]: z
    .object({ [FormAction]: z.object({ value: z.string().nullish() }).loose() })
    .optional(),
});

/** Answers the click in place: the message's buttons give way to what was recorded. */
const replace = async (respond: RespondFn, text: string): Promise<void> => {
  await respond({ replace_original: true, text });
};
const ephemeral = async (respond: RespondFn, text: string): Promise<void> => {
  await respond({ response_type: 'ephemeral', replace_original: false, text });
};

function parseJson(raw: string | undefined): unknown {
  try {
    return JSON.parse(raw ?? '');
  } catch {
    return undefined;
  }
}

/** The contacted buttons of the resolved DM, the waiting buttons, and the follow-up answers and "Left" form. */
export function registerOutcomeListeners(app: App, deps: OutcomeListenerDeps): void {
  const { outcomes } = deps;
  for (const [actionId, answer] of [
    [OutcomeActions.toldCustomer, 'told'],
    [OutcomeActions.couldNotReach, 'unreachable'],
  ] as const) {
    app.action(actionId, async ({ body, ack, respond }) => {
      const click = blockActionsSchema.safeParse(body);
      const value = contactValue.safeParse(click.success ? click.data.actions[0]?.value : undefined);
      if (!click.success || !value.success) {
        await ack();
        return ephemeral(respond, SORRY_MALFORMED);
      }
      const [itemId, resolvedAt] = value.data;
      const result = outcomes.recordContact({ actorId: click.data.user.id, itemId, resolvedAt, answer });
      await ack();
      if (!result.ok) return ephemeral(respond, contactText(result));
      deps.outboxQueued();
      await replace(respond, contactText(result));
    });
  }

  for (const [actionId, action] of [
    [OutcomeActions.waitOnCustomer, 'wait'],
    [OutcomeActions.resume, 'resume'],
  ] as const) {
    app.action(actionId, async ({ body, ack, respond }) => {
      const click = blockActionsSchema.safeParse(body);
      if (!click.success) {
        await ack();
        return ephemeral(respond, SORRY_MALFORMED);
      }
      const ref = parseButtonValue(click.data.actions[0]?.value);
      let result: Awaited<ReturnType<OutcomeService['changeWaiting']>>;
      try {
        result = await outcomes.changeWaiting({ actorId: click.data.user.id, ref, action });
      } finally {
        await ack();
      }
      if (!result.ok) return ephemeral(respond, waitingRefusalText(result));
      deps.outboxQueued();
    });
  }

  app.action(OutcomeActions.customerAnswered, async ({ body, ack, respond }) => {
    const click = blockActionsSchema.safeParse(body);
    const itemId = idValue.safeParse(click.success ? click.data.actions[0]?.value : undefined);
    await ack();
    if (!click.success || !itemId.success) return ephemeral(respond, SORRY_MALFORMED);
    const result = outcomes.customerAnswered(click.data.user.id, itemId.data);
    if (!result.ok) return ephemeral(respond, waitingRefusalText(result));
    deps.outboxQueued();
    await replace(
      respond,
      `:white_check_mark: Recorded: the customer answered about *${result.item.reference}*. The department's clock runs again.`,
    );
  });

  registerFollowUpListeners(app, deps);
}

function registerFollowUpListeners(app: App, deps: OutcomeListenerDeps): void {
  const { outcomes } = deps;
  for (const [actionId, outcome] of [
    [OutcomeActions.stillCustomer, 'kept'],
    [OutcomeActions.cameBack, 'came_back'],
  ] as const) {
    app.action(actionId, async ({ body, ack, respond }) => {
      const click = blockActionsSchema.safeParse(body);
      const id = idValue.safeParse(click.success ? click.data.actions[0]?.value : undefined);
      if (!click.success || !id.success) {
        await ack();
        return ephemeral(respond, SORRY_MALFORMED);
      }
      let result: Awaited<ReturnType<OutcomeService['answer']>>;
      try {
        result = await outcomes.answer({ actorId: click.data.user.id, followUpId: id.data, outcome });
      } finally {
        await ack();
      }
      if (!result.ok) return ephemeral(respond, answerText(result));
      deps.outboxQueued();
      await replace(respond, answerText(result));
    });
  }

  app.action(OutcomeActions.left, async ({ body, ack, respond, client }) => {
    await ack();
    const click = blockActionsSchema.safeParse(body);
    const id = idValue.safeParse(click.success ? click.data.actions[0]?.value : undefined);
    if (!click.success || !id.success) return ephemeral(respond, SORRY_MALFORMED);
    const form = outcomes.leftForm(click.data.user.id, id.data);
    if (!form.ok) return ephemeral(respond, answerText(form));
    const view = leftModal(form.item, id.data, form.reasons);
    await client.views.open({ trigger_id: click.data.trigger_id, view }).catch((cause: unknown) => {
      throw new UserFacingError(
        'outcome_form_unavailable',
        'Sorry, I could not open the form just now (Slack allows only 3 seconds). Nothing was recorded; please click again.',
        { cause },
      );
    });
  });

  app.view(Views.outcomeLeft, async ({ body, ack }) => {
    const reasonBlock = OutcomeBlocks.leaveReason;
    const submitted = viewSubmissionSchema.safeParse(body);
    const meta = leftMetadata.safeParse(
      parseJson(submitted.success ? submitted.data.view.private_metadata : undefined),
    );
    const state = leftState.safeParse(submitted.success ? submitted.data.view.state.values : undefined);
    if (!submitted.success || !meta.success || !state.success) {
      return ack({ response_action: 'errors', errors: { [reasonBlock]: SORRY_MALFORMED } });
    }
    const result = await outcomes.answer({
      actorId: submitted.data.user.id,
      followUpId: meta.data.followUpId,
      outcome: 'lost',
      reason: state.data[reasonBlock][FormAction].selected_option?.value,
      note: state.data[OutcomeBlocks.leaveNote]?.[FormAction].value ?? undefined,
    });
    if (!result.ok) return ack({ response_action: 'errors', errors: { [reasonBlock]: answerText(result) } });
    await ack();
    deps.outboxQueued();
  });
}
