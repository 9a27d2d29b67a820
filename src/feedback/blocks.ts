import type { KnownBlock, View } from '@slack/types';
import type { Department, OrgConfig } from '../config/org-schema.js';
import {
  context,
  fields,
  header,
  LIMITS,
  option,
  plain,
  section,
  slackDate,
  userMention,
  userText,
} from '../slack/blocks.js';
import { Commands, FeedbackFormBlocks, FeedbackPostBlocks, FormAction, Views } from '../slack/ids.js';
import { escapeAndTruncate, escapeMrkdwn, quoteMrkdwn } from '../slack/mrkdwn.js';
import type { AnswerExpectation } from './expected-answer.js';
import { expectedAnswerText } from './expected-answer-text.js';
import type { FormMetadata } from './form.js';
import type { FeedbackCommand } from './inline.js';
import {
  CONTACT_CHANNELS,
  CONTACT_LABELS,
  FEEDBACK_KINDS,
  FEEDBACK_LIMITS,
  type FeedbackItem,
  KIND_LABELS,
  REASSIGNED_REASON,
  SEVERITIES,
  SEVERITY_LABELS,
  STATUS_LABELS,
  type StoredRouting,
} from './types.js';

const SEVERITY_EMOJI = {
  low: ':white_circle:',
  normal: ':large_blue_circle:',
  high: ':large_orange_circle:',
  urgent: ':red_circle:',
} as const;

export function routingSentence(routing: StoredRouting, department: Department | undefined): string {
  const where = department ? `Routed to *${escapeMrkdwn(department.name)}*` : 'Sent to *triage*';
  if (routing.method === 'explicit' && routing.reason === REASSIGNED_REASON && routing.decidedBy) {
    return `${where} · reassigned by ${userMention(routing.decidedBy)}`;
  }
  const why =
    routing.method === 'triage' && routing.matched.length === 0 ? 'no routing rule matched' : routing.reason;
  return `${where} · ${escapeAndTruncate(why, 500)}`;
}

export type DepartmentPostInput = {
  item: FeedbackItem;
  routing: StoredRouting;
  department: Department | undefined;
  /** Lifecycle lines (similar reports, at-risk customer, resolution, history), shown before the buttons. */
  extra?: KnownBlock[];
  /** The lifecycle buttons. */
  actions?: KnownBlock;
};

/**
 * The Details section, fitted to Slack's 3000 characters after quoting (each line gains a `> ` marker, so text
 * of many short lines needs more room than its length), cut on whole characters, never inside an entity.
 */
export function detailsText(item: Pick<FeedbackItem, 'details' | 'reference'>): string {
  const full = escapeMrkdwn(item.details);
  let room = LIMITS.sectionText - 200;
  for (;;) {
    let details = escapeAndTruncate(item.details, room);
    if (details.length < full.length) {
      details += `\n_(shortened here; the full text is stored with ${item.reference})_`;
    }
    const text = `*Details*\n${quoteMrkdwn(details)}`;
    if (text.length <= LIMITS.sectionText || room <= 100) return text;
    room -= text.length - LIMITS.sectionText;
  }
}

/** The message in the department (or triage) channel: everything a team needs to act, nothing it must look up. */
export function departmentPostBlocks({
  item,
  routing,
  department,
  extra,
  actions,
}: DepartmentPostInput): KnownBlock[] {
  const blocks: KnownBlock[] = [
    header(
      `${item.reference} · ${KIND_LABELS[item.kind]} · ${SEVERITY_LABELS[item.severity]}`,
      FeedbackPostBlocks.header,
    ),
    // A quote marker works only at the start of a line: the severity emoji goes inside the quote.
    section(
      quoteMrkdwn(`${SEVERITY_EMOJI[item.severity]} ${userText(item.summary, 600)}`),
      FeedbackPostBlocks.summary,
    ),
  ];
  if (item.details !== '' && item.details !== item.summary) {
    blocks.push(section(detailsText(item), FeedbackPostBlocks.details));
  }
  blocks.push(
    fields(
      [
        ['Customer', item.customer ? userText(item.customer, 300) : '_not given_'],
        ['Reached us by', item.contactChannel ? CONTACT_LABELS[item.contactChannel] : '_not given_'],
        ['Reported by', userMention(item.reporterId)],
        ['Status', STATUS_LABELS[item.status]],
        ['Department', department ? escapeMrkdwn(department.name) : '_Triage: needs a department_'],
        ['Received', slackDate(item.createdAt)],
      ],
      FeedbackPostBlocks.fields,
    ),
    context([routingSentence(routing, department)], FeedbackPostBlocks.routing),
  );
  if (item.sourcePermalink) {
    blocks.push(
      context([`Forwarded from <${item.sourcePermalink}|this message>`], FeedbackPostBlocks.source),
    );
  }
  if (extra) blocks.push(...extra);
  if (actions) blocks.push(actions);
  return blocks.slice(0, LIMITS.messageBlocks);
}

/** Notification text (push notifications, screen readers, clients without blocks). */
export function departmentPostText(item: FeedbackItem): string {
  return `${item.reference} (${KIND_LABELS[item.kind].toLowerCase()}, ${item.severity}): ${escapeAndTruncate(item.summary, 300)}`;
}

export function receiptText(item: FeedbackItem, department: Department | undefined): string {
  const where = department
    ? `*${escapeMrkdwn(department.name)}*`
    : '*triage*, where a person will pick the right department';
  return (
    `:white_check_mark: Thanks! Your feedback *${item.reference}* (“${escapeAndTruncate(item.summary, 200)}”) went to ${where}. ` +
    'I will message you here when it is acknowledged and resolved, so you can tell the customer.'
  );
}

export function receiptBlocks(
  item: FeedbackItem,
  routing: StoredRouting,
  department: Department | undefined,
  expectation?: AnswerExpectation,
): KnownBlock[] {
  return [
    section(receiptText(item, department)),
    ...(expectation ? [section(expectedAnswerText(expectation))] : []),
    context([routingSentence(routing, department)]),
  ];
}

export function feedbackHelpText(config: OrgConfig): string {
  const names = config.departments.map((d) => `\`${d.id}\``).join(', ');
  return [
    '*Forward customer feedback*',
    `• \`${Commands.feedback} the app logs me out every hour\` files it now and routes it automatically.`,
    `• \`${Commands.feedback} billing: customer was charged twice\` sends it to a department you choose (${names}).`,
    `• Add how the customer reached us anywhere in the text: ${viaList(CONTACT_CHANNELS)}.`,
    `• \`${Commands.feedback}\` on its own opens a form with the customer, channel, kind and severity.`,
    '• On any message: *More actions → Forward as customer feedback*.',
    `• \`${Commands.feedback} mine\` lists your open feedback items and where they stand.`,
    `• \`${Commands.feedback} themes [department] [week|month|quarter]\` shows the top themes by impact.`,
  ].join('\n');
}

export type FeedbackModalPrefill = { summary?: string; details?: string; detailsShortened?: boolean };

/** Who the customer is and how they reached us, what kind of feedback, how severe, and where it goes. */
function feedbackFieldInputs(departments: OrgConfig['departments']): KnownBlock[] {
  return [
    {
      type: 'input',
      block_id: FeedbackFormBlocks.customer,
      optional: true,
      label: plain('Customer'),
      hint: plain('A name, account or order number: whatever lets the team find them. Not required.'),
      element: {
        type: 'plain_text_input',
        action_id: FormAction,
        max_length: FEEDBACK_LIMITS.customer,
        placeholder: plain('e.g. Dana Reyes, account 48213'),
      },
    },
    {
      type: 'input',
      block_id: FeedbackFormBlocks.contactChannel,
      optional: true,
      label: plain('How the customer reached us'),
      element: {
        type: 'static_select',
        action_id: FormAction,
        placeholder: plain('Choose a channel'),
        options: CONTACT_CHANNELS.map((c) => option(CONTACT_LABELS[c], c)),
      },
    },
    {
      type: 'input',
      block_id: FeedbackFormBlocks.kind,
      label: plain('Kind'),
      element: {
        type: 'static_select',
        action_id: FormAction,
        options: FEEDBACK_KINDS.map((k) => option(KIND_LABELS[k], k)),
        initial_option: option(KIND_LABELS.complaint, 'complaint'),
      },
    },
    {
      type: 'input',
      block_id: FeedbackFormBlocks.severity,
      label: plain('Severity'),
      element: {
        type: 'static_select',
        action_id: FormAction,
        options: SEVERITIES.map((s) => option(SEVERITY_LABELS[s], s)),
        initial_option: option(SEVERITY_LABELS.normal, 'normal'),
      },
    },
    {
      type: 'input',
      block_id: FeedbackFormBlocks.department,
      optional: true,
      label: plain('Department'),
      hint: plain('Leave empty and it is routed automatically from what the customer said.'),
      element: {
        type: 'static_select',
        action_id: FormAction,
        placeholder: plain('Route automatically'),
        options: departments.map((d) => option(d.name, d.id)),
      },
    },
  ];
}

/** For praise: the colleagues the customer praised, who get the customer's words (customer praise). */
function whoHelpedInput(): KnownBlock {
  return {
    type: 'input',
    block_id: FeedbackFormBlocks.whoHelped,
    optional: true,
    label: plain('Who helped (for praise)'),
    hint: plain('Praise that names colleagues is passed on to them and shown in the kudos channel.'),
    element: {
      type: 'multi_users_select',
      action_id: FormAction,
      max_selected_items: FEEDBACK_LIMITS.whoHelped,
      placeholder: plain('Colleagues the customer praised'),
    },
  };
}

/** The summary and details, prefilled from a forwarded message. */
function feedbackTextInputs(prefill: FeedbackModalPrefill): KnownBlock[] {
  return [
    {
      type: 'input',
      block_id: FeedbackFormBlocks.summary,
      label: plain('Summary'),
      element: {
        type: 'plain_text_input',
        action_id: FormAction,
        max_length: FEEDBACK_LIMITS.summary,
        placeholder: plain('One line: what happened, in the customer’s words'),
        ...(prefill.summary ? { initial_value: prefill.summary.slice(0, FEEDBACK_LIMITS.summary) } : {}),
      },
    },
    {
      type: 'input',
      block_id: FeedbackFormBlocks.details,
      optional: true,
      label: plain('Details'),
      ...(prefill.detailsShortened
        ? {
            hint: plain(
              'The message was longer than the form allows; the rest stays in the linked original.',
            ),
          }
        : {}),
      element: {
        type: 'plain_text_input',
        action_id: FormAction,
        multiline: true,
        max_length: FEEDBACK_LIMITS.modalDetails,
        ...(prefill.details ? { initial_value: prefill.details.slice(0, FEEDBACK_LIMITS.modalDetails) } : {}),
      },
    },
  ];
}

export function feedbackModal(
  config: OrgConfig,
  metadata: FormMetadata,
  prefill: FeedbackModalPrefill = {},
): View {
  const blocks: KnownBlock[] = [];
  if (metadata.source === 'shortcut') {
    blocks.push(context(['Forwarding a message as customer feedback. The original message will be linked.']));
  }
  blocks.push(
    ...feedbackFieldInputs(config.departments.slice(0, LIMITS.options)),
    ...feedbackTextInputs(prefill),
    whoHelpedInput(),
  );
  return {
    type: 'modal',
    callback_id: Views.feedbackForm,
    title: plain('Customer feedback', LIMITS.modalTitle),
    submit: plain('Send', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}

const viaList = (channels: readonly string[]) => channels.map((c) => `\`via:${c}\``).join(', ');

export function inlineProblemText(
  problem: Extract<FeedbackCommand, { action: 'refuse' }>['problem'],
  config: OrgConfig,
): string {
  switch (problem.problem) {
    case 'too-long':
      return (
        `That is ${problem.length.toLocaleString('en-US')} characters; I can take up to ${problem.max.toLocaleString('en-US')}. ` +
        'Nothing was saved. Please shorten it, or run `/feedback` on its own to use the form.'
      );
    case 'unknown-department': {
      const name = escapeAndTruncate(problem.name, 60);
      return (
        `I don't know a department called “${name}”, so nothing was saved. ` +
        `Valid departments: ${problem.valid.map((v) => `\`${v}\``).join(', ')}. ` +
        `Or leave out the \`${name}:\` prefix and I will route it automatically.\n\n${feedbackHelpText(config)}`
      );
    }
    case 'no-text-after-department':
      return `Please add what the customer said after \`${problem.department.id}:\`. Nothing was saved.`;
    case 'unknown-contact-channel':
      return (
        `I don't know “via:${escapeAndTruncate(problem.value, 40)}” as a way the customer reached us, so nothing was saved. ` +
        `Use one of ${viaList(problem.valid)} (or leave it out).`
      );
    case 'several-contact-channels':
      return `Please give one way the customer reached us (one of ${viaList(CONTACT_CHANNELS)}), not several. Nothing was saved.`;
  }
}

/** On a department post that went to triage because Slack refused it in the department's channel. */
export function fallbackNoteBlock(channel: string, code: string): KnownBlock {
  return {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `:warning: Posted here because I cannot post in <#${channel}> (\`${escapeMrkdwn(code)}\`); the admins have been told.`,
      },
    ],
  };
}
