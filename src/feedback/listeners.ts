import type { Logger } from 'pino';
import type { z } from 'zod';
import type { OrgConfig } from '../config/org-schema.js';
import { UserFacingError } from '../errors.js';
import { Commands, MessageShortcuts, Views } from '../slack/ids.js';
import type { ListenerRegistry } from '../slack/listener-router.js';
import { slackTextToPlain } from '../slack/mrkdwn.js';
import {
  messageShortcutSchema,
  SORRY_MALFORMED,
  slashCommandSchema,
  viewSubmissionSchema,
} from '../slack/payloads.js';
import { truncateText } from '../text/truncate.js';
import { feedbackHelpText, feedbackModal, inlineProblemText, receiptBlocks, receiptText } from './blocks.js';
import { parseFeedbackForm, parseFormMetadata } from './form.js';
import { type FeedbackCommand, interpretFeedbackCommand, splitSummary } from './inline.js';
import type { MyFeedback } from './lifecycle.js';
import { mineText } from './lifecycle-blocks.js';
import type { FeedbackService, SubmittedFeedback } from './service.js';
import { FEEDBACK_LIMITS } from './types.js';

export type FeedbackListenerDeps = {
  feedback: FeedbackService;
  /** The caller's open items, for `/feedback mine`. */
  mine: (userId: string) => MyFeedback;
  /** `/feedback themes [department] [period]`: the top themes by impact, as text only the caller sees. */
  themes: (args: string) => string;
  config: () => OrgConfig;
  /** Something was queued in the outbox: deliver it now. */
  outboxQueued: () => void;
  logger: Logger;
};

const ephemeral = (text: string) => ({ response_type: 'ephemeral' as const, text });

const formOpenFailed = (cause: unknown) =>
  new UserFacingError(
    'feedback_form_unavailable',
    'Sorry, I could not open the feedback form just now (Slack allows only 3 seconds). Please try again, ' +
      'or send it in one line: `/feedback what the customer said`.',
    { cause },
  );

type SlashCommand = z.infer<typeof slashCommandSchema>;
type InlineValue = Extract<ReturnType<typeof interpretFeedbackCommand>, { action: 'submit' }>['value'];

/** `/feedback <text>`: a complaint of normal severity, routed from the text unless a department was named. */
function inlineSubmission(cmd: SlashCommand, value: InlineValue): Parameters<FeedbackService['submit']>[0] {
  return {
    idempotencyKey: `command:${cmd.trigger_id}`,
    teamId: cmd.team_id,
    reporterId: cmd.user_id,
    source: 'command',
    customer: undefined,
    contactChannel: value.contactChannel,
    kind: 'complaint',
    severity: 'normal',
    summary: value.summary,
    details: value.details,
    departmentId: value.department?.id,
    originChannelId: cmd.channel_id,
    sourceChannelId: undefined,
    sourceMessageTs: undefined,
  };
}

/** What `/feedback` answers without storing anything: help, the caller's items, themes, a refusal. */
function answerAtOnce(
  deps: FeedbackListenerDeps,
  intent: Extract<FeedbackCommand, { action: 'help' | 'mine' | 'themes' | 'refuse' }>,
  userId: string,
  config: OrgConfig,
): string {
  if (intent.action === 'help') return feedbackHelpText(config);
  if (intent.action === 'mine') return mineText(deps.mine(userId), config);
  if (intent.action === 'themes') return deps.themes(intent.args);
  return inlineProblemText(intent.problem, config);
}

/** The inline command's receipt, only to the rep. */
function receiptAnswer({ item, routing, department, expectation }: SubmittedFeedback) {
  return {
    response_type: 'ephemeral' as const,
    text: receiptText(item, department),
    blocks: receiptBlocks(item, routing, department, expectation),
  };
}

/** `/feedback`, the "Forward as customer feedback" shortcut, and the form's submission. */
export function registerFeedbackListeners(app: ListenerRegistry, deps: FeedbackListenerDeps): void {
  app.command(Commands.feedback, async ({ command, ack, client }) => {
    const parsed = slashCommandSchema.safeParse(command);
    if (!parsed.success) return ack(ephemeral(SORRY_MALFORMED));
    const cmd = parsed.data;
    const config = deps.config();
    const intent = interpretFeedbackCommand(slackTextToPlain(cmd.text), config);
    switch (intent.action) {
      case 'help':
      case 'mine':
      case 'themes':
      case 'refuse':
        return ack(ephemeral(answerAtOnce(deps, intent, cmd.user_id, config)));
      case 'open-form': {
        await ack();
        const view = feedbackModal(config, { source: 'modal', originChannelId: cmd.channel_id });
        await client.views.open({ trigger_id: cmd.trigger_id, view }).catch((e: unknown) => {
          throw formOpenFailed(e);
        });
        return;
      }
      case 'submit': {
        await ack(receiptAnswer(await deps.feedback.submitSoon(inlineSubmission(cmd, intent.value))));
        deps.outboxQueued();
        return;
      }
    }
  });

  app.shortcut(MessageShortcuts.forwardFeedback, async ({ shortcut, ack, client }) => {
    await ack();
    const parsed = messageShortcutSchema.safeParse(shortcut);
    if (!parsed.success) throw new UserFacingError('malformed_payload', SORRY_MALFORMED);
    const { message, channel, trigger_id } = parsed.data;
    const text = slackTextToPlain(message.text).trim();
    const { summary } = splitSummary(text);
    const view = feedbackModal(
      deps.config(),
      {
        source: 'shortcut',
        originChannelId: channel.id,
        sourceChannelId: channel.id,
        sourceMessageTs: message.ts,
      },
      {
        summary,
        details: truncateText(text, FEEDBACK_LIMITS.modalDetails),
        detailsShortened: text.length > FEEDBACK_LIMITS.modalDetails,
      },
    );
    await client.views.open({ trigger_id, view }).catch((e: unknown) => {
      throw formOpenFailed(e);
    });
  });

  app.view(Views.feedbackForm, async ({ body, ack }) => {
    const parsed = viewSubmissionSchema.safeParse(body);
    if (!parsed.success) {
      return ack({ response_action: 'errors', errors: { fb_summary: SORRY_MALFORMED } });
    }
    const { view, user, team } = parsed.data;
    const form = parseFeedbackForm(view.state.values, deps.config());
    if (!form.ok) return ack({ response_action: 'errors', errors: form.errors });
    const meta = parseFormMetadata(view.private_metadata);
    await deps.feedback.submitSoon({
      ...form.value,
      idempotencyKey: `view:${view.id}`,
      teamId: team?.id ?? user.team_id ?? 'unknown',
      reporterId: user.id,
      source: meta.source,
      originChannelId: meta.originChannelId,
      sourceChannelId: meta.sourceChannelId,
      sourceMessageTs: meta.sourceMessageTs,
    });
    await ack();
    deps.outboxQueued();
  });
}
