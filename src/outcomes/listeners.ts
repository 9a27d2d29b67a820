import type { RespondFn } from '@slack/bolt';
import { z } from 'zod';
import { UserFacingError } from '../errors.js';
import { parseButtonValue } from '../feedback/lifecycle.js';
import { FormAction, OutcomeActions, OutcomeBlocks, Views } from '../slack/ids.js';
import type { ListenerRegistry } from '../slack/listener-router.js';
import { blockActionsSchema, SORRY_MALFORMED, viewSubmissionSchema } from '../slack/payloads.js';
import { answerText, contactText, customerAnsweredText, leftModal, waitingRefusalText } from './blocks.js';
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

/** What a click did: refused (an ephemeral answer), or done (and the clicked message perhaps replaced). */
type ClickResult = { ok: false; text: string } | { ok: true; replaceWith?: string };

/**
 * A button whose value `value` parses: the change is made (persisted) before Slack is answered; a refusal is an
 * ephemeral answer, a done change wakes the outbox and may replace the clicked message with what was recorded.
 */
function onButton<T>(
  app: ListenerRegistry,
  deps: OutcomeListenerDeps,
  actionId: string,
  value: z.ZodType<T>,
  run: (userId: string, value: T) => ClickResult | Promise<ClickResult>,
): void {
  app.action(actionId, async ({ body, ack, respond }) => {
    const click = blockActionsSchema.safeParse(body);
    const parsed = value.safeParse(click.success ? click.data.actions[0]?.value : undefined);
    if (!click.success || !parsed.success) {
      await ack();
      return ephemeral(respond, SORRY_MALFORMED);
    }
    let result: ClickResult;
    try {
      result = await run(click.data.user.id, parsed.data);
    } finally {
      await ack();
    }
    if (!result.ok) return ephemeral(respond, result.text);
    deps.outboxQueued();
    if (result.replaceWith) await replace(respond, result.replaceWith);
  });
}

const itemRefValue = z.unknown().transform(parseButtonValue);

/** The contacted buttons of the resolved DM, the waiting buttons, and the follow-up answers and "Left" form. */
export function registerOutcomeListeners(app: ListenerRegistry, deps: OutcomeListenerDeps): void {
  const { outcomes } = deps;
  for (const [actionId, answer] of [
    [OutcomeActions.toldCustomer, 'told'],
    [OutcomeActions.couldNotReach, 'unreachable'],
  ] as const) {
    onButton(app, deps, actionId, contactValue, (actorId, [itemId, resolvedAt]) => {
      const result = outcomes.recordContact({ actorId, itemId, resolvedAt, answer });
      return result.ok
        ? { ok: true, replaceWith: contactText(result) }
        : { ok: false, text: contactText(result) };
    });
  }
  for (const [actionId, action] of [
    [OutcomeActions.waitOnCustomer, 'wait'],
    [OutcomeActions.resume, 'resume'],
  ] as const) {
    onButton(app, deps, actionId, itemRefValue, async (actorId, ref) => {
      const result = await outcomes.changeWaiting({ actorId, ref, action });
      return result.ok ? { ok: true } : { ok: false, text: waitingRefusalText(result) };
    });
  }
  onButton(app, deps, OutcomeActions.customerAnswered, idValue, (actorId, itemId) => {
    const result = outcomes.customerAnswered(actorId, itemId);
    return result.ok
      ? { ok: true, replaceWith: customerAnsweredText(result.item) }
      : { ok: false, text: waitingRefusalText(result) };
  });
  registerFollowUpListeners(app, deps);
}

function registerFollowUpListeners(app: ListenerRegistry, deps: OutcomeListenerDeps): void {
  const { outcomes } = deps;
  for (const [actionId, outcome] of [
    [OutcomeActions.stillCustomer, 'kept'],
    [OutcomeActions.cameBack, 'came_back'],
  ] as const) {
    onButton(app, deps, actionId, idValue, async (actorId, followUpId) => {
      const result = await outcomes.answer({ actorId, followUpId, outcome });
      return result.ok
        ? { ok: true, replaceWith: answerText(result) }
        : { ok: false, text: answerText(result) };
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
