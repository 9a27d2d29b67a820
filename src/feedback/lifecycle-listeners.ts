import type { RespondFn } from '@slack/bolt';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { OrgConfig } from '../config/org-schema.js';
import { UserFacingError } from '../errors.js';
import { formErrorText, type NameOf } from '../slack/form-errors.js';
import { FeedbackActions, FormAction, LifecycleFormBlocks, Views } from '../slack/ids.js';
import type { ListenerRegistry } from '../slack/listener-router.js';
import {
  blockActionsSchema,
  parsePrivateMetadata,
  SORRY_MALFORMED,
  viewSubmissionSchema,
} from '../slack/payloads.js';
import { type LifecycleAction, type LifecycleService, parseButtonValue } from './lifecycle.js';
import { reassignModal, refusalText, resolveModal } from './lifecycle-blocks.js';

export type LifecycleListenerDeps = {
  lifecycle: LifecycleService;
  config: () => OrgConfig;
  /** Something was queued in the outbox: deliver it now. */
  outboxQueued: () => void;
  logger: Logger;
  /** People's names for form errors (Slack shows mentions there as raw ids). */
  nameOf: NameOf;
};

const metadataSchema = z.object({
  itemId: z.number().int().positive(),
  version: z.number().int().positive(),
  departmentId: z.string().nullish(),
});
const stateSchema = z.record(z.string(), z.record(z.string(), z.unknown()));
const textInput = z.object({ value: z.string().nullish() }).loose();
const selectInput = z.object({ selected_option: z.object({ value: z.string() }).loose().nullish() }).loose();
const checkboxInput = z
  .object({ selected_options: z.array(z.object({ value: z.string() }).loose()).nullish() })
  .loose();

/** A change from a form: Slack's lookups can fail, and the form must still get a polite answer, not an error. */
async function changeFromForm(
  deps: LifecycleListenerDeps,
  request: Parameters<LifecycleService['change']>[0],
): Promise<{ ok: true } | { ok: false; text: string }> {
  try {
    const result = await deps.lifecycle.change(request);
    return result.ok
      ? { ok: true }
      : { ok: false, text: await formErrorText(refusalText(result), deps.nameOf) };
  } catch (error) {
    if (error instanceof UserFacingError) {
      return { ok: false, text: await formErrorText(error.userMessage, deps.nameOf) };
    }
    throw error;
  }
}

function parseMetadata(raw: string | undefined) {
  return parsePrivateMetadata(metadataSchema, raw);
}

const ephemeralReply = async (respond: RespondFn | undefined, text: string) => {
  if (!respond) return;
  await respond({ response_type: 'ephemeral', replace_original: false, text });
};

const modalOpenFailed = (cause: unknown) =>
  new UserFacingError(
    'lifecycle_form_unavailable',
    'Sorry, I could not open the form just now (Slack allows only 3 seconds). Nothing changed; please click again.',
    { cause },
  );

/** The buttons on a department message, and the resolve and reassign modals. */
export function registerLifecycleListeners(app: ListenerRegistry, deps: LifecycleListenerDeps): void {
  const direct = (actionId: string, action: LifecycleAction) =>
    app.action(actionId, async ({ body, ack, respond }) => {
      const parsed = blockActionsSchema.safeParse(body);
      if (!parsed.success) {
        await ack();
        return ephemeralReply(respond, SORRY_MALFORMED);
      }
      const click = parsed.data;
      const ref = parseButtonValue(click.actions[0]?.value);
      let result: Awaited<ReturnType<LifecycleService['change']>>;
      try {
        // Persist first: the change and its Slack work are committed before Slack hears back.
        result = await deps.lifecycle.change({ actorId: click.user.id, ref, action });
      } finally {
        await ack();
      }
      if (!result.ok) return ephemeralReply(respond, refusalText(result));
      deps.outboxQueued();
    });

  const withModal = (actionId: string, action: 'resolve' | 'reassign') =>
    app.action(actionId, async ({ body, ack, respond, client }) => {
      await ack();
      const parsed = blockActionsSchema.safeParse(body);
      if (!parsed.success) return ephemeralReply(respond, SORRY_MALFORMED);
      const click = parsed.data;
      const checked = await deps.lifecycle.check(
        click.user.id,
        parseButtonValue(click.actions[0]?.value),
        action,
      );
      if (!checked.ok) return ephemeralReply(respond, refusalText(checked));
      const view =
        action === 'resolve' ? resolveModal(checked.item) : reassignModal(checked.item, deps.config());
      await client.views.open({ trigger_id: click.trigger_id, view }).catch((e: unknown) => {
        throw modalOpenFailed(e);
      });
    });

  direct(FeedbackActions.acknowledge, 'acknowledge');
  direct(FeedbackActions.reopen, 'reopen');
  withModal(FeedbackActions.resolve, 'resolve');
  withModal(FeedbackActions.reassign, 'reassign');

  app.view(Views.feedbackResolve, async ({ body, ack }) => {
    const noteBlock = LifecycleFormBlocks.resolutionNote;
    const parsed = viewSubmissionSchema.safeParse(body);
    const meta = parsed.success ? parseMetadata(parsed.data.view.private_metadata) : undefined;
    const state = stateSchema.safeParse(parsed.success ? parsed.data.view.state.values : undefined);
    if (!parsed.success || !meta || !state.success) {
      return ack({ response_action: 'errors', errors: { [noteBlock]: SORRY_MALFORMED } });
    }
    const note = textInput.safeParse(state.data[noteBlock]?.[FormAction]);
    const contacted = checkboxInput.safeParse(
      state.data[LifecycleFormBlocks.customerContacted]?.[FormAction],
    );
    const result = await changeFromForm(deps, {
      actorId: parsed.data.user.id,
      ref: meta,
      action: 'resolve',
      acceptNewerVersion: true,
      note: note.success ? (note.data.value ?? '') : '',
      customerContacted:
        contacted.success && (contacted.data.selected_options ?? []).some((o) => o.value === 'contacted'),
    });
    if (!result.ok) return ack({ response_action: 'errors', errors: { [noteBlock]: result.text } });
    await ack();
    deps.outboxQueued();
  });

  app.view(Views.feedbackReassign, async ({ body, ack }) => {
    const toBlock = LifecycleFormBlocks.reassignTo;
    const parsed = viewSubmissionSchema.safeParse(body);
    const meta = parsed.success ? parseMetadata(parsed.data.view.private_metadata) : undefined;
    const state = stateSchema.safeParse(parsed.success ? parsed.data.view.state.values : undefined);
    if (!parsed.success || !meta || !state.success) {
      return ack({ response_action: 'errors', errors: { [toBlock]: SORRY_MALFORMED } });
    }
    const selected = selectInput.safeParse(state.data[toBlock]?.[FormAction]);
    const result = await changeFromForm(deps, {
      actorId: parsed.data.user.id,
      ref: meta,
      action: 'reassign',
      acceptNewerVersion: true,
      toDepartmentId: selected.success ? selected.data.selected_option?.value : undefined,
    });
    if (!result.ok) return ack({ response_action: 'errors', errors: { [toBlock]: result.text } });
    await ack();
    deps.outboxQueued();
  });
}
