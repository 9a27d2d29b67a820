import type { KnownBlock, View } from '@slack/types';
import type { KudosConfig } from '../config/kudos-schema.js';
import {
  context,
  LIMITS,
  option,
  plain,
  section,
  slackDate,
  userMention,
  userText,
} from '../slack/blocks.js';
import { Commands, FormAction, KudosFormBlocks, Views } from '../slack/ids.js';
import { escapeAndTruncate, quoteMrkdwn } from '../slack/mrkdwn.js';
import { formatWeekdayTime } from '../time/local-time.js';
import { type KudosProblem, REASON_MAX_LENGTH } from './rules.js';
import type { KudosLimits } from './service.js';
import type { Kudos } from './types.js';

export const people = (ids: readonly string[]) => {
  const mentions = ids.map(userMention);
  if (mentions.length <= 1) return mentions.join('');
  return `${mentions.slice(0, -1).join(', ')} and ${mentions.at(-1)}`;
};

const tags = (ids: readonly string[]) => ids.map((id) => `\`#${id}\``).join(', ');

export function valueLabels(kudos: KudosConfig | undefined, valueIds: readonly string[]): string {
  return valueIds
    .map((id) => kudos?.values.find((v) => v.id === id)?.label ?? id)
    .map((label) => escapeAndTruncate(label, 40))
    .join(', ');
}

function untilReset(resetsAt: number, now: number): string {
  const minutes = Math.max(1, Math.ceil((resetsAt - now) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** The caller's own limits: their allowance (an override's, if they have one), the cap, what is left today. */
function limitsText(limits: KudosLimits): string {
  const own =
    limits.allowance === limits.defaultAllowance
      ? ''
      : ` (your own allowance; the default is ${limits.defaultAllowance})`;
  return (
    `\nYou can give ${limits.allowance} kudos a day${own}, one per person thanked, up to ${limits.perRecipientCap} to the same person. ` +
    `You have ${limits.leftToday} left today; it resets ${slackDate(limits.resetsAt, '{date_short_pretty} at {time}')}.`
  );
}

export function kudosHelpText(kudos: KudosConfig | undefined, limits: KudosLimits | undefined): string {
  if (!kudos || !limits) return kudosOffText();
  const values =
    kudos.values.length > 0
      ? `\nCompany values: ${tags(kudos.values.map((v) => v.id))}${kudos.require_value ? ' (name at least one)' : ''}.`
      : '';
  const reaction = kudos.reaction
    ? `\n• React with :${kudos.reaction}: to a message to thank its author, or to a kudos post to join in (+1).`
    : '';
  return (
    '*Thank a colleague*\n' +
    `• \`${Commands.kudos} @ana @li for staying late to fix the refund export${kudos.values[0] ? ` #${kudos.values[0].id}` : ''}\`\n` +
    `• \`${Commands.kudos}\` on its own opens a form.\n` +
    '• On any message: *More actions → Give kudos for this*.' +
    reaction +
    limitsText(limits) +
    values
  );
}

export function kudosOffText(): string {
  return 'Kudos are not set up in this workspace yet. An admin can turn them on in the org config (the `kudos` section).';
}

type ReactionProblem = Extract<
  KudosProblem,
  {
    problem:
      | 'own-message'
      | 'reaction-removed'
      | 'bot-message'
      | 'own-kudos'
      | 'plus-one-only-you'
      | 'plus-one-withdrawn';
  }
>;

const REACTION_PROBLEMS: readonly string[] = [
  'own-message',
  'reaction-removed',
  'bot-message',
  'own-kudos',
  'plus-one-only-you',
  'plus-one-withdrawn',
] satisfies ReactionProblem['problem'][];

const isReactionProblem = (p: KudosProblem): p is ReactionProblem => REACTION_PROBLEMS.includes(p.problem);

/** Why a reaction (or a "+1" on a kudos post or a customer's praise) gave nothing. */
function reactionProblemText(problem: ReactionProblem): string {
  const nothing = 'Nothing was given.';
  switch (problem.problem) {
    case 'own-message':
      return (
        'That is your own message, so the reaction thanks nobody. To thank someone, react to their message ' +
        `or use \`${Commands.kudos} @name for what they did\`. ${nothing}`
      );
    case 'reaction-removed':
      return `The reaction was removed before the kudos was recorded. ${nothing}`;
    case 'bot-message':
      return `That message is from a bot or an app; kudos are for people. ${nothing}`;
    case 'own-kudos':
      return `That is your own kudos, so reacting to it thanks nobody new. ${nothing}`;
    case 'plus-one-only-you':
      return `It thanks only you, so there is nobody else to join in thanking. ${nothing}`;
    case 'plus-one-withdrawn':
      return `That kudos was withdrawn, so there is nothing to join in on. ${nothing}`;
  }
}

/** Why a kudos was not given, for the giver. Nothing was stored in any of these cases. */
export function problemText(problem: KudosProblem, now: number): string {
  if (isReactionProblem(problem)) return reactionProblemText(problem);
  const nothing = 'Nothing was given.';
  switch (problem.problem) {
    case 'not-configured':
      return kudosOffText();
    case 'no-recipient':
      return `Who would you like to thank? Mention them with @ so Slack completes the name, e.g. \`${Commands.kudos} @ana for the quick fix\`. ${nothing}`;
    case 'special-mention':
      return `Kudos go to people, not to \`@${problem.mention}\`: mention the colleagues you want to thank (a user group works too). ${nothing}`;
    case 'channel-mention':
      return `Kudos go to people, not channels: mention the colleagues you want to thank. ${nothing}`;
    case 'too-many-recipients':
      return `That is ${problem.count} people; one kudos can thank up to ${problem.max}. Pick the ones who made the difference, or send a few kudos. ${nothing}`;
    case 'self':
      return `Thanking yourself does not count :slightly_smiling_face: Mention the colleagues you want to thank. ${nothing}`;
    case 'bot':
      return `${people(problem.userIds)} ${problem.userIds.length === 1 ? 'is a bot or an app' : 'are bots or apps'}; kudos are for people. ${nothing}`;
    case 'deactivated':
      return `${people(problem.userIds)} ${problem.userIds.length === 1 ? 'is no longer' : 'are no longer'} in this workspace. ${nothing}`;
    case 'unknown-value':
      return `I don't know ${tags(problem.tags)}. The company values are ${problem.valid.length > 0 ? tags(problem.valid) : 'not set up, so leave the tag out'}. ${nothing}`;
    case 'too-many-values':
      return `Please pick at most 3 values (you named ${tags(problem.tags)}). ${nothing}`;
    case 'value-required':
      return `Please tag the company value this shows: ${tags(problem.valid)}. ${nothing}`;
    case 'reason-no-words':
      return `Please say what you are thanking them for, in words (emoji alone do not say it). ${nothing}`;
    case 'reason-too-short':
      return `Please say a little more about what you are thanking them for (at least ${problem.min} characters). ${nothing}`;
    case 'reason-too-long':
      return `Please keep the reason under ${problem.max.toLocaleString('en-US')} characters (it is ${problem.length.toLocaleString('en-US')}). ${nothing}`;
    case 'allowance': {
      const left = Math.max(0, problem.allowance - problem.used);
      const what =
        left === 0
          ? `You have given all ${problem.allowance} of today's kudos`
          : `That would be ${problem.requested} kudos (one per person) and you have ${left} left today`;
      return (
        `${what} — thank you for noticing so much good work! ` +
        `Your allowance resets at midnight your time (${formatWeekdayTime(problem.resetsAt, problem.timeZone)}, ${problem.timeZone}), ` +
        `in ${untilReset(problem.resetsAt, now)}. ${nothing}`
      );
    }
    case 'recipient-cap':
      return (
        `You have already thanked ${people(problem.userIds)} ${problem.cap === 1 ? 'once' : `${problem.cap} times`} today, ` +
        `the most one person can get from you in a day. It resets at midnight your time ` +
        `(${formatWeekdayTime(problem.resetsAt, problem.timeZone)}, ${problem.timeZone}). ${nothing}`
      );
  }
}

export function givenText(outcome: {
  kudos: Kudos;
  left: number;
  allowance: number;
  duplicate: boolean;
  visibility: KudosConfig['visibility'] | undefined;
  channel: string | undefined;
}): string {
  const { kudos, left, allowance } = outcome;
  const where =
    outcome.visibility === 'private' || !outcome.channel
      ? 'They will get a DM with your reason.'
      : `It will be posted in <#${outcome.channel}>, and they will get a DM with your reason.`;
  return `:tada: Kudos sent to ${people(kudos.recipientIds)}! ${where} You have ${left} of ${allowance} kudos left today.`;
}

/** The public post (kudos channel or thread). */
export function kudosPostBlocks(
  kudos: Kudos,
  config: KudosConfig | undefined,
  sourceLink?: string,
): KnownBlock[] {
  const emoji = `:${config?.reaction ?? 'clap'}:`;
  const head =
    kudos.plusOneOf !== undefined
      ? `${emoji} ${userMention(kudos.giverId)} joined in (+1) thanking ${people(kudos.recipientIds)}`
      : kudos.source === 'reaction'
        ? `${emoji} ${userMention(kudos.giverId)} gave kudos to ${people(kudos.recipientIds)} for a message`
        : `:tada: ${userMention(kudos.giverId)} thanked ${people(kudos.recipientIds)}`;
  const blocks: KnownBlock[] = [section(head)];
  if (kudos.reason !== '') blocks.push(section(quoteMrkdwn(userText(kudos.reason, 2500))));
  const foot: string[] = [];
  if (kudos.valueIds.length > 0) foot.push(`Values: *${valueLabels(config, kudos.valueIds)}*`);
  if (sourceLink)
    foot.push(`For <${sourceLink}|${kudos.plusOneOf !== undefined ? 'this kudos' : 'this message'}>`);
  if (foot.length > 0) blocks.push(context(foot));
  return blocks;
}

export function kudosPostText(kudos: Kudos): string {
  return `Kudos from ${userMention(kudos.giverId)} to ${people(kudos.recipientIds)}`;
}

export function withdrawnPostBlocks(kudos: Kudos): KnownBlock[] {
  return [
    section(
      `:wastebasket: The kudos from ${userMention(kudos.giverId)} to ${people(kudos.recipientIds)} was withdrawn.`,
    ),
  ];
}

export function recipientDmText(
  kudos: Kudos,
  config: KudosConfig | undefined,
  link: string | undefined,
): string {
  const values = kudos.valueIds.length > 0 ? `\nValues: *${valueLabels(config, kudos.valueIds)}*` : '';
  const reason =
    kudos.reason !== ''
      ? `\n${quoteMrkdwn(userText(kudos.reason, 2500))}`
      : kudos.source === 'reaction'
        ? ' for one of your messages.'
        : '';
  const see = link ? `\n<${link}|See it in Slack>` : '';
  const gave = kudos.plusOneOf !== undefined ? 'joined in (+1) and gave you kudos too' : 'gave you kudos';
  return `:tada: ${userMention(kudos.giverId)} ${gave}!${reason}${values}${see}`;
}

/** To a person thanked, when a kudos they were told about is withdrawn. */
export function withdrawnRecipientDmText(kudos: Kudos): string {
  const what = kudos.reason !== '' ? `(“${userText(kudos.reason, 200)}”)` : 'for one of your messages';
  const why =
    kudos.revokedReason === 'message deleted'
      ? 'the message it was for was deleted'
      : kudos.revokedReason === 'reaction removed'
        ? `${userMention(kudos.giverId)} removed their reaction`
        : 'it was taken back';
  return `:wastebasket: The kudos ${userMention(kudos.giverId)} gave you ${what} was withdrawn: ${why}. It no longer counts in the numbers.`;
}

export function givenNoticeText(
  kudos: Pick<Kudos, 'recipientIds' | 'source'>,
  left: number,
  undoWindowMinutes: number | undefined,
): string {
  const undo =
    kudos.source === 'reaction' && undoWindowMinutes
      ? ` (Changed your mind? Remove the reaction within ${undoWindowMinutes} min to take it back.)`
      : '';
  return `:tada: Your kudos to ${people(kudos.recipientIds)} is on its way. You have ${left} kudos left today.${undo}`;
}

export function withdrawnNoticeText(kudos: Kudos): string {
  return `Your kudos to ${people(kudos.recipientIds)} was withdrawn, and it no longer counts against today's allowance.`;
}

/** The company value the kudos shows (required when the config says so). */
function valueInput(kudos: KudosConfig): KnownBlock {
  return {
    type: 'input',
    block_id: KudosFormBlocks.value,
    optional: !kudos.require_value,
    label: plain('Company value'),
    element: {
      type: 'static_select',
      action_id: FormAction,
      placeholder: plain('Which value does this show?'),
      options: kudos.values.slice(0, LIMITS.options).map((v) => option(v.label, v.id)),
    },
  };
}

/** The modal behind `/kudos` on its own and the "Give kudos for this" shortcut. */
export function kudosModal(
  kudos: KudosConfig,
  metadata: KudosFormMetadata,
  prefill: { recipientIds?: string[]; intro?: string } = {},
): View {
  const blocks: KnownBlock[] = [];
  if (prefill.intro) blocks.push(context([prefill.intro]));
  else if (metadata.sourceMessageTs)
    blocks.push(context(['Thanking someone for a message. The message will be linked.']));
  blocks.push(
    {
      type: 'input',
      block_id: KudosFormBlocks.recipients,
      label: plain('Who do you want to thank?'),
      element: {
        type: 'multi_users_select',
        action_id: FormAction,
        max_selected_items: kudos.max_recipients,
        placeholder: plain('Choose people'),
        ...(prefill.recipientIds && prefill.recipientIds.length > 0
          ? { initial_users: prefill.recipientIds }
          : {}),
      },
    },
    {
      type: 'input',
      block_id: KudosFormBlocks.reason,
      label: plain('What for?'),
      hint: plain(
        `Be specific: what did they do, and what difference did it make? At least ${kudos.min_reason_length} characters.`,
      ),
      element: {
        type: 'plain_text_input',
        action_id: FormAction,
        multiline: true,
        max_length: REASON_MAX_LENGTH,
        placeholder: plain('e.g. for staying late to fix the refund export'),
      },
    },
  );
  if (kudos.values.length > 0) blocks.push(valueInput(kudos));
  return {
    type: 'modal',
    callback_id: Views.kudosForm,
    title: plain('Give kudos', LIMITS.modalTitle),
    submit: plain('Send kudos', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}

export type KudosFormMetadata = {
  originChannelId?: string | undefined;
  sourceChannelId?: string | undefined;
  sourceMessageTs?: string | undefined;
  sourceThreadTs?: string | undefined;
};

export function receivedLine(
  k: { giverId: string; reason: string; valueIds: string[]; createdAt: number },
  config: KudosConfig | undefined,
): string {
  const values = k.valueIds.length > 0 ? ` · _${valueLabels(config, k.valueIds)}_` : '';
  const reason = k.reason !== '' ? ` “${userText(k.reason, 200)}”` : ' for a message';
  return `${userMention(k.giverId)}${reason} · ${slackDate(k.createdAt, '{date_short_pretty}')}${values}`;
}
