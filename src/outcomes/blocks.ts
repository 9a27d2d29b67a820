import type { KnownBlock, View } from '@slack/types';
import type { OrgConfig } from '../config/org-schema.js';
import type { StoredFeedbackEvent } from '../feedback/history-repo.js';
import { refusalText } from '../feedback/lifecycle-blocks.js';
import type { FeedbackItem } from '../feedback/types.js';
import { LIMITS, option, plain, section, slackDate, userMention } from '../slack/blocks.js';
import { FormAction, OutcomeActions, OutcomeBlocks, Views } from '../slack/ids.js';
import { escapeAndTruncate, escapeMrkdwn } from '../slack/mrkdwn.js';
import type { ContactResult } from './contact.js';
import type { AnswerResult } from './follow-up-answers.js';
import type { FollowUp } from './follow-up-repo.js';
import type { WaitingResult } from './waiting.js';

const departmentName = (config: OrgConfig, id: string | undefined) =>
  config.departments.find((d) => d.id === id)?.name ?? 'triage';

const gist = (item: FeedbackItem) => `*${item.reference}* (“${escapeAndTruncate(item.summary, 150)}”)`;

/** The follow-up DM (or its reminder) to the reporter: did we keep the customer? */
export function followUpMessage(
  item: FeedbackItem,
  f: FollowUp,
  step: 'ask' | 'remind',
  config: OrgConfig,
): { text: string; blocks: KnownBlock[] } {
  const customer = item.customer ? `*${escapeAndTruncate(item.customer, 100)}*` : 'the customer';
  const lead = step === 'remind' ? ':bell: A reminder: ' : ':telescope: ';
  const text =
    `${lead}${gist(item)} was resolved by *${escapeMrkdwn(departmentName(config, f.departmentId))}* ${slackDate(f.resolvedAt)}. ` +
    `Is ${customer} still a customer?` +
    (step === 'remind' ? ' Without an answer it will be recorded as unknown.' : '');
  const value = String(f.id);
  return {
    text,
    blocks: [
      section(text),
      {
        type: 'actions',
        block_id: OutcomeBlocks.followUp,
        elements: [
          {
            type: 'button',
            action_id: OutcomeActions.stillCustomer,
            text: plain('Still a customer', 75),
            style: 'primary',
            value,
          },
          {
            type: 'button',
            action_id: OutcomeActions.cameBack,
            text: plain('Came back with the same problem', 75),
            value,
          },
          { type: 'button', action_id: OutcomeActions.left, text: plain('Left', 75), style: 'danger', value },
        ],
      },
    ],
  };
}

/** The "Left" form: why the customer left (the configured reasons) and an optional note. */
export function leftModal(item: FeedbackItem, followUpId: number, reasons: readonly string[]): View {
  return {
    type: 'modal',
    callback_id: Views.outcomeLeft,
    title: plain(`${item.reference}: customer left`, LIMITS.modalTitle),
    submit: plain('Record', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    private_metadata: JSON.stringify({ followUpId }),
    blocks: [
      section(`Why did the customer leave? ${gist(item)}`),
      {
        type: 'input',
        block_id: OutcomeBlocks.leaveReason,
        label: plain('Reason'),
        element: {
          type: 'static_select',
          action_id: FormAction,
          placeholder: plain('Choose a reason'),
          options: reasons.slice(0, LIMITS.options).map((r) => option(r, r)),
        },
      },
      {
        type: 'input',
        block_id: OutcomeBlocks.leaveNote,
        optional: true,
        label: plain('Note'),
        hint: plain('Shown in the item’s thread in the department channel.'),
        element: { type: 'plain_text_input', action_id: FormAction, multiline: true, max_length: 1000 },
      },
    ],
  };
}

/** What the follow-up DM becomes once answered (its buttons go), or the polite refusal. */
export function answerText(result: AnswerResult): string {
  if (!result.ok) {
    switch (result.reason) {
      case 'not-found':
        return 'I cannot find that follow-up any more. Nothing was recorded.';
      case 'not-reporter':
        return `Only ${userMention(result.item.reporterId)}, who reported ${result.item.reference}, can answer this follow-up. Nothing was recorded.`;
      case 'already':
        return `The follow-up of *${result.item.reference}* was already answered (${OUTCOME_LABEL[result.followUp.outcome ?? 'unknown']}). Nothing changed.`;
      case 'unknown-reason':
        return `Please pick one of the reasons: ${result.reasons.map((r) => escapeMrkdwn(r)).join(', ')}.`;
    }
  }
  const ref = `*${result.item.reference}*`;
  switch (result.outcome) {
    case 'kept':
      return `:white_check_mark: Recorded for ${ref}: still a customer. Thank you for following up.`;
    case 'lost':
      return `:wave: Recorded for ${ref}: the customer left (${escapeMrkdwn(result.reason ?? 'other')}). Thank you; the department sees it in the item's thread.`;
    case 'came_back':
      return result.filed
        ? `:arrows_counterclockwise: ${ref} closed too long ago to reopen, so I filed *${result.filed.reference}*, linked to it, with the same department.`
        : `:arrows_counterclockwise: Reopened ${ref}: the department picks it up again, and you get a DM at each change.`;
  }
}

const OUTCOME_LABEL: Record<NonNullable<FollowUp['outcome']>, string> = {
  kept: 'still a customer',
  came_back: 'came back with the same problem',
  lost: 'left',
  unknown: 'recorded as unknown',
};

/** What the resolved DM's buttons become once answered, or the polite refusal. */
export function contactText(result: ContactResult): string {
  if (result.ok) {
    return result.answer === 'told'
      ? `:white_check_mark: Recorded: you told the customer about *${result.item.reference}*. Thank you for closing the loop.`
      : `:telephone_receiver: Recorded: you couldn't reach the customer about *${result.item.reference}*. The department sees it in the item's thread.`;
  }
  switch (result.reason) {
    case 'not-found':
      return 'I cannot find that feedback item any more. Nothing was recorded.';
    case 'not-reporter':
      return `Only ${userMention(result.item.reporterId)}, who reported *${result.item.reference}*, can answer this. Nothing was recorded.`;
    case 'reopened':
      return `*${result.item.reference}* was reopened since, so this answer is out of date. Nothing was recorded.`;
    case 'already':
      return `That answer was already recorded for *${result.item.reference}*. Nothing changed.`;
  }
}

/** What the waiting DM becomes once the reporter recorded the customer's answer. */
export function customerAnsweredText(item: FeedbackItem): string {
  return `:white_check_mark: Recorded: the customer answered about *${item.reference}*. The department's clock runs again.`;
}

/** The answer to a waiting button that changed nothing. */
export function waitingRefusalText(result: Exclude<WaitingResult, { ok: true }>): string {
  switch (result.reason) {
    case 'not-waiting':
      return `*${result.item.reference}* is not waiting on the customer. Nothing changed.`;
    case 'already-waiting':
      return `*${result.item.reference}* is already waiting on the customer. Nothing changed.`;
    case 'not-reporter':
      return `Only ${userMention(result.item.reporterId)}, who reported *${result.item.reference}*, can record the customer's answer. Nothing changed.`;
    default:
      return refusalText(result);
  }
}

/** The reporter's DM when the department starts or stops waiting on the customer. */
export function waitingDm(
  item: FeedbackItem,
  event: StoredFeedbackEvent,
  config: OrgConfig,
  stillWaiting: boolean,
): { text: string; blocks?: KnownBlock[] } {
  const who = userMention(event.actorId);
  const where = escapeMrkdwn(departmentName(config, item.departmentId));
  if (event.action !== 'wait') {
    return {
      text: `:arrow_forward: ${who} in *${where}* resumed your feedback ${gist(item)}: it is no longer waiting on the customer.`,
    };
  }
  const text = `:hourglass_flowing_sand: ${who} in *${where}* is waiting on the customer about your feedback ${gist(item)}; their clock is paused. When the customer answers, tell them here.`;
  if (!stillWaiting) return { text };
  return {
    text,
    blocks: [
      section(text),
      {
        type: 'actions',
        block_id: OutcomeBlocks.waitingActions,
        elements: [
          {
            type: 'button',
            action_id: OutcomeActions.customerAnswered,
            text: plain('The customer answered', 75),
            style: 'primary',
            value: String(item.id),
          },
        ],
      },
    ],
  };
}
