import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { UserFacingError } from '../errors.js';
import { formErrorText, type NameOf } from '../slack/form-errors.js';
import { Commands, Events, HomeActions, MessageShortcuts, Views } from '../slack/ids.js';
import type { ListenerRegistry } from '../slack/listener-router.js';
import {
  messageShortcutSchema,
  SORRY_MALFORMED,
  slashCommandSchema,
  viewSubmissionSchema,
} from '../slack/payloads.js';
import { giveAnswer } from './answer.js';
import { kudosHelpText, kudosModal, kudosOffText, problemText } from './blocks.js';
import { parseKudosForm, parseKudosFormMetadata, problemBlock } from './form.js';
import { interpretKudosCommand } from './parse.js';
import type { ReactionEvent } from './reactions.js';
import { LEADERBOARD_PERIODS, messageAuthorRecipients } from './rules.js';
import type { KudosService } from './service.js';

export type KudosListenerDeps = {
  kudos: KudosService;
  /** Something was queued in the outbox: deliver it now. */
  outboxQueued: () => void;
  now: () => number;
  /** People's names for form errors (Slack shows mentions there as raw ids). */
  nameOf: NameOf;
};

const ephemeral = (text: string) => ({ response_type: 'ephemeral' as const, text });

const formOpenFailed = (cause: unknown) =>
  new UserFacingError(
    'kudos_form_unavailable',
    'Sorry, I could not open the kudos form just now (Slack allows only 3 seconds). Please try again, ' +
      `or send it in one line: \`${Commands.kudos} @name for what they did\`.`,
    { cause },
  );

const envelope = z
  .object({ event_id: z.string().min(1), team_id: z.string().optional(), event_time: z.number().optional() })
  .loose();
const reactionEvent = z
  .object({
    user: z.string().min(1),
    reaction: z.string().min(1),
    item_user: z.string().optional(),
    event_ts: z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .optional(),
    item: z.object({ type: z.string(), channel: z.string().optional(), ts: z.string().optional() }).loose(),
  })
  .loose();
/**
 * A deleted message: `message_deleted`, or, for a message with thread replies, `message_changed` to a
 * tombstone ("This message was deleted.").
 */
const deletedMessage = z.union([
  z
    .object({
      subtype: z.literal('message_deleted'),
      channel: z.string().min(1),
      deleted_ts: z.string().min(1),
    })
    .loose()
    .transform((e) => ({ channel: e.channel, ts: e.deleted_ts })),
  z
    .object({
      subtype: z.literal('message_changed'),
      channel: z.string().min(1),
      message: z.object({ subtype: z.literal('tombstone'), ts: z.string().min(1) }).loose(),
    })
    .loose()
    .transform((e) => ({ channel: e.channel, ts: e.message.ts })),
]);
const homeOpened = z.object({ user: z.string().min(1), tab: z.string().optional() }).loose();
const periodAction = z
  .object({ selected_option: z.object({ value: z.enum(LEADERBOARD_PERIODS) }).loose() })
  .loose();
const departmentAction = z
  .object({ selected_option: z.object({ value: z.string().min(1).max(150) }).loose() })
  .loose();
const actionBody = z.object({ user: z.object({ id: z.string().min(1) }).loose() }).loose();

type SlashCommand = z.infer<typeof slashCommandSchema>;

const valueId = (value: { id: string }) => value.id;

/** Open the kudos modal; Slack allows 3 seconds for it, and says so politely when that passed. */
async function openForm(
  client: WebClient,
  triggerId: string,
  view: ReturnType<typeof kudosModal>,
): Promise<void> {
  await client.views.open({ trigger_id: triggerId, view }).catch((e: unknown) => {
    throw formOpenFailed(e);
  });
}
type GiveRequest = Parameters<KudosService['give']>[0];
type ParsedKudos = Extract<ReturnType<typeof interpretKudosCommand>, { action: 'give' }>['parsed'];

/** `/kudos @ana for …`: the request as typed. */
function commandGive(cmd: SlashCommand, parsed: ParsedKudos): GiveRequest {
  return {
    sourceKey: `command:${cmd.trigger_id}`,
    source: 'command',
    teamId: cmd.team_id,
    giverId: cmd.user_id,
    userIds: parsed.userIds,
    usergroupIds: parsed.usergroupIds,
    valueIds: parsed.valueTags,
    reason: parsed.reason,
    originChannelId: cmd.channel_id,
    sourceChannelId: undefined,
    sourceMessageTs: undefined,
  };
}

/** The kudos form as submitted; refusals show in the form, so only a confirmation goes to the giver. */
function formGive(
  { view, user, team }: z.infer<typeof viewSubmissionSchema>,
  form: ReturnType<typeof parseKudosForm>,
  meta: ReturnType<typeof parseKudosFormMetadata>,
): GiveRequest {
  return {
    sourceKey: `view:${view.id}`,
    source: 'shortcut',
    teamId: team?.id ?? user.team_id ?? 'unknown',
    giverId: user.id,
    userIds: form.userIds,
    usergroupIds: [],
    valueIds: form.valueIds,
    reason: form.reason,
    originChannelId: meta.originChannelId,
    sourceChannelId: meta.sourceChannelId,
    sourceMessageTs: meta.sourceMessageTs,
    sourceThreadTs: meta.sourceThreadTs,
    notifyGiver: { channelId: meta.originChannelId, refusals: false },
  };
}

/** `/kudos`, the "Give kudos for this" shortcut and modal, reactions, deleted messages and the App Home. */
export function registerKudosListeners(app: ListenerRegistry, deps: KudosListenerDeps): void {
  app.command(Commands.kudos, async ({ command, ack, client, respond }) => {
    const parsed = slashCommandSchema.safeParse(command);
    if (!parsed.success) return ack(ephemeral(SORRY_MALFORMED));
    const cmd = parsed.data;
    const settings = deps.kudos.settings();
    const intent = interpretKudosCommand(cmd.text, settings !== undefined, settings?.values.map(valueId));
    switch (intent.action) {
      case 'help': {
        if (!settings) return ack(ephemeral(kudosOffText()));
        // The caller's limits may need Slack (their time zone, user-group overrides): answer first, then reply.
        await ack();
        await respond(ephemeral(kudosHelpText(settings, await deps.kudos.limitsOf(cmd.user_id))));
        return;
      }
      case 'refuse':
        return ack(ephemeral(problemText(intent.problem, deps.now())));
      case 'open-form': {
        await ack();
        if (settings)
          await openForm(client, cmd.trigger_id, kudosModal(settings, { originChannelId: cmd.channel_id }));
        return;
      }
      case 'give': {
        const outcome = await deps.kudos.giveNowOrLater(commandGive(cmd, intent.parsed), cmd.response_url);
        await ack(ephemeral(giveAnswer(outcome, settings, deps.now())));
        deps.outboxQueued();
        return;
      }
    }
  });

  app.shortcut(MessageShortcuts.giveKudos, async ({ shortcut, ack, client }) => {
    await ack();
    const parsed = messageShortcutSchema.safeParse(shortcut);
    if (!parsed.success) throw new UserFacingError('malformed_payload', SORRY_MALFORMED);
    const { message, channel, trigger_id, user } = parsed.data;
    const settings = deps.kudos.settings();
    if (!settings) throw new UserFacingError('kudos_off', kudosOffText());
    const author = messageAuthorRecipients({ userId: message.user, botId: message.bot_id }, user.id);
    if ('problem' in author) {
      throw new UserFacingError('kudos_refused', problemText(author.problem, deps.now()));
    }
    const view = kudosModal(
      settings,
      {
        originChannelId: channel.id,
        sourceChannelId: channel.id,
        sourceMessageTs: message.ts,
        ...(message.thread_ts && message.thread_ts !== message.ts
          ? { sourceThreadTs: message.thread_ts }
          : {}),
      },
      author,
    );
    await openForm(client, trigger_id, view);
  });

  app.view(Views.kudosForm, async ({ body, ack }) => {
    const parsed = viewSubmissionSchema.safeParse(body);
    if (!parsed.success)
      return ack({ response_action: 'errors', errors: { kd_recipients: SORRY_MALFORMED } });
    const { view } = parsed.data;
    const form = parseKudosForm(view.state.values);
    const meta = parseKudosFormMetadata(view.private_metadata);
    const outcome = await deps.kudos.give(formGive(parsed.data, form, meta));
    if (!outcome.ok) {
      const hasValueBlock = (deps.kudos.settings()?.values.length ?? 0) > 0;
      const text = await formErrorText(problemText(outcome.problem, deps.now()), deps.nameOf);
      return ack({
        response_action: 'errors',
        errors: { [problemBlock(outcome.problem, hasValueBlock)]: text },
      });
    }
    await ack();
    deps.outboxQueued();
  });

  app.event(Events.reactionAdded, async ({ event, body }) => {
    const reaction = reactionInput(body, event);
    if (!reaction) return;
    await deps.kudos.reactionAddedOrLater(reaction);
    deps.outboxQueued();
  });

  app.event(Events.reactionRemoved, async ({ event, body }) => {
    const reaction = reactionInput(body, event);
    if (!reaction) return;
    deps.kudos.reactionRemoved(reaction);
    deps.outboxQueued();
  });

  app.event(Events.message, async ({ event, body }) => {
    const env = envelope.safeParse(body);
    const e = deletedMessage.safeParse(event);
    if (!env.success || !e.success) return;
    deps.kudos.messageDeleted({
      eventId: env.data.event_id,
      channelId: e.data.channel,
      messageTs: e.data.ts,
    });
    deps.outboxQueued();
  });

  app.event(Events.appHomeOpened, async ({ event, body }) => {
    const env = envelope.safeParse(body);
    const e = homeOpened.safeParse(event);
    if (!env.success || !e.success || (e.data.tab !== undefined && e.data.tab !== 'home')) return;
    deps.kudos.refreshHome(e.data.user, `opened:${env.data.event_id}`);
    deps.outboxQueued();
  });

  app.action(HomeActions.leaderboardPeriod, async ({ ack, action, body }) => {
    await ack();
    const a = periodAction.safeParse(action);
    const b = actionBody.safeParse(body);
    if (!a.success || !b.success) return;
    const period = a.data.selected_option.value;
    deps.kudos.refreshHome(b.data.user.id, `period:${period}:${deps.now()}`, { period });
    deps.outboxQueued();
  });

  app.action(HomeActions.leaderboardDepartment, async ({ ack, action, body }) => {
    await ack();
    const a = departmentAction.safeParse(action);
    const b = actionBody.safeParse(body);
    if (!a.success || !b.success) return;
    const department = a.data.selected_option.value;
    deps.kudos.refreshHome(b.data.user.id, `department:${department}:${deps.now()}`, { department });
    deps.outboxQueued();
  });
}

/** A `reaction_added` event's reaction, from the request body as Slack sent it (before any listener runs). */
export function reactionAddedIn(body: unknown): ReactionEvent | undefined {
  const raw = body as { type?: unknown; event?: { type?: unknown } } | undefined;
  if (raw?.type !== 'event_callback' || raw.event?.type !== 'reaction_added') return undefined;
  return reactionInput(body, raw.event);
}

/** A reaction on a message, as the kudos service takes it; undefined for anything else (a file, a malformed event). */
function reactionInput(body: unknown, event: unknown): ReactionEvent | undefined {
  const env = envelope.safeParse(body);
  const e = reactionEvent.safeParse(event);
  if (!env.success || !e.success || e.data.item.type !== 'message') return undefined;
  const { channel, ts } = e.data.item;
  if (!channel || !ts) return undefined;
  return {
    eventId: env.data.event_id,
    teamId: env.data.team_id ?? 'unknown',
    userId: e.data.user,
    reaction: e.data.reaction,
    itemUserId: e.data.item_user,
    channelId: channel,
    messageTs: ts,
    eventTs: e.data.event_ts ?? String(env.data.event_time ?? 0),
  };
}
