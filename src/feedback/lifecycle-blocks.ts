import type { KnownBlock, View } from '@slack/types';
import type { Department, OrgConfig } from '../config/org-schema.js';
import {
  channelMention,
  context,
  header,
  LIMITS,
  option,
  plain,
  section,
  slackDate,
  userMention,
  userText,
} from '../slack/blocks.js';
import {
  Commands,
  FeedbackActions,
  FeedbackPostBlocks,
  FormAction,
  LifecycleFormBlocks,
  Views,
} from '../slack/ids.js';
import { escapeAndTruncate, escapeMrkdwn, quoteMrkdwn } from '../slack/mrkdwn.js';
import { formatDuration } from '../text/duration.js';
import type { StoredFeedbackEvent } from './history-repo.js';
import { actionsFor, buttonValue, type LifecycleAction, type MyFeedback, type Refusal } from './lifecycle.js';
import { OUTCOME_VERBS } from './outcome-blocks.js';
import type { DueEscalation } from './sla.js';
import { FEEDBACK_LIMITS, type FeedbackItem, KIND_LABELS, SEVERITY_LABELS, STATUS_LABELS } from './types.js';

const BUTTON: Record<LifecycleAction, { text: string; actionId: string; style?: 'primary' | 'danger' }> = {
  acknowledge: { text: 'Acknowledge', actionId: FeedbackActions.acknowledge, style: 'primary' },
  resolve: { text: 'Resolve', actionId: FeedbackActions.resolve },
  reassign: { text: 'Reassign', actionId: FeedbackActions.reassign },
  reopen: { text: 'Reopen', actionId: FeedbackActions.reopen },
};

const PAST: Record<LifecycleAction | 'created', string> = {
  acknowledge: 'acknowledged',
  resolve: 'resolved',
  reassign: 'reassigned',
  reopen: 'reopened',
  created: 'filed',
};

const departmentName = (config: OrgConfig, id: string | undefined) =>
  id === undefined ? 'triage' : (config.departments.find((d) => d.id === id)?.name ?? id);

/** The buttons the item's status allows; each carries the item id and the version it was rendered at. */
export function lifecycleActionsBlock(item: FeedbackItem): KnownBlock | undefined {
  const actions = actionsFor(item.status);
  if (actions.length === 0) return undefined;
  return {
    type: 'actions',
    block_id: FeedbackPostBlocks.actions,
    elements: actions.map((a) => ({
      type: 'button' as const,
      action_id: BUTTON[a].actionId,
      text: plain(BUTTON[a].text, 75),
      value: buttonValue(item),
      ...(BUTTON[a].style ? { style: BUTTON[a].style } : {}),
    })),
  };
}

/** One line of history: "Mon at 10:02 · <@U1> acknowledged (New → Acknowledged)". */
export function historyLine(event: StoredFeedbackEvent, config: OrgConfig): string {
  const verb =
    PAST[event.action as LifecycleAction | 'created'] ??
    OUTCOME_VERBS[event.action] ??
    escapeMrkdwn(event.action);
  let line = `${slackDate(event.at, '{date_short} {time}')} · ${userMention(event.actorId)} ${verb}`;
  if (event.action === 'reassign') {
    line += ` from *${escapeMrkdwn(departmentName(config, event.fromDepartment))}* to *${escapeMrkdwn(departmentName(config, event.toDepartment))}*`;
  } else if (event.fromStatus && event.toStatus) {
    line += ` (${STATUS_LABELS[event.fromStatus]} → ${STATUS_LABELS[event.toStatus]})`;
  }
  if (event.note && event.action !== 'created') line += `: ${escapeAndTruncate(event.note, 300)}`;
  return line;
}

export type LifecycleExtras = {
  /** The best similar reports (those named) and how many matched in all. */
  similar: { references: string[]; total: number; windowDays: number } | undefined;
  atRisk: { complaints: number; days: number } | undefined;
  history: StoredFeedbackEvent[];
};

/** Similar reports, at-risk customer, resolution and history, for the department message. */
export function lifecycleExtraBlocks(
  item: FeedbackItem,
  extras: LifecycleExtras,
  config: OrgConfig,
): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (extras.similar && extras.similar.references.length > 0) {
    const { references, total, windowDays } = extras.similar;
    const named = references.slice(0, FEEDBACK_LIMITS.similarNamed);
    const shown = named.join(', ') + (total > named.length ? ` and ${total - named.length} more` : '');
    blocks.push(
      context(
        [`:repeat: *${total + 1} similar reports in ${windowDays} days:* ${shown}`],
        FeedbackPostBlocks.similar,
      ),
    );
  }
  if (extras.atRisk) {
    blocks.push(
      context(
        [
          `:warning: *At-risk customer:* ${extras.atRisk.complaints} complaints in ${extras.atRisk.days} days. Worth a personal call.`,
        ],
        FeedbackPostBlocks.atRisk,
      ),
    );
  }
  if (item.status === 'resolved' && item.resolutionNote) {
    const contacted = item.customerContacted ? 'Customer was contacted.' : 'Customer not contacted yet.';
    blocks.push(
      section(
        `*Resolution*\n${quoteMrkdwn(escapeAndTruncate(item.resolutionNote, 1500))}\n_${contacted}_`,
        FeedbackPostBlocks.resolution,
      ),
    );
  }
  const changes = extras.history.filter((e) => e.action !== 'created');
  if (changes.length > 0) {
    const lines = changes.slice(-8).map((e) => historyLine(e, config));
    if (changes.length > 8) lines.unshift(`_${changes.length - 8} earlier changes in the thread_`);
    blocks.push(section(`*History*\n${lines.join('\n')}`, FeedbackPostBlocks.history));
  }
  return blocks;
}

/** What the old message becomes after a reassignment: the gist, where it went (linked), no buttons. */
export function movedBlocks(
  item: FeedbackItem,
  event: StoredFeedbackEvent,
  config: OrgConfig,
  now?: { channel: string; url: string | undefined },
): KnownBlock[] {
  const to = departmentName(config, event.toDepartment);
  const there = now
    ? `It is followed up in ${channelMention(now.channel)}${now.url ? `: <${now.url}|see the message>` : ''}.`
    : 'It is followed up there.';
  return [
    header(
      `${item.reference} · ${KIND_LABELS[item.kind]} · ${SEVERITY_LABELS[item.severity]}`,
      FeedbackPostBlocks.header,
    ),
    section(quoteMrkdwn(userText(item.summary, 600)), FeedbackPostBlocks.summary),
    context(
      [
        `:arrow_right: Reassigned to *${escapeMrkdwn(to)}* by ${userMention(event.actorId)} ${slackDate(event.at)}. ${there}`,
      ],
      FeedbackPostBlocks.routing,
    ),
  ];
}

export function movedText(item: FeedbackItem, event: StoredFeedbackEvent, config: OrgConfig): string {
  return `${item.reference} was reassigned to ${escapeMrkdwn(departmentName(config, event.toDepartment))}.`;
}

/** The reporter's DM at each change, with the resolution note when resolved. */
export function statusDmText(item: FeedbackItem, event: StoredFeedbackEvent, config: OrgConfig): string {
  const summary = `“${escapeAndTruncate(item.summary, 150)}”`;
  const who = userMention(event.actorId);
  switch (event.action) {
    case 'acknowledge':
      return `:eyes: Your feedback *${item.reference}* (${summary}) was acknowledged by ${who} in *${escapeMrkdwn(departmentName(config, item.departmentId))}*. You can tell the customer it is being looked at.`;
    case 'resolve': {
      const note = event.note ? `\n>${escapeAndTruncate(event.note, 2000).replace(/\n/g, '\n>')}` : '';
      const contacted = item.customerContacted
        ? 'They have already contacted the customer.'
        : 'The customer has not been contacted yet: please close the loop with them.';
      return `:white_check_mark: Your feedback *${item.reference}* (${summary}) was resolved by ${who}.${note}\n${contacted}`;
    }
    case 'reopen':
      return `:arrows_counterclockwise: Your feedback *${item.reference}* (${summary}) was reopened by ${who}.${event.note ? ` Note: ${escapeAndTruncate(event.note, 500)}` : ''}`;
    case 'reassign':
      return `:arrow_right: Your feedback *${item.reference}* (${summary}) was reassigned by ${who} from *${escapeMrkdwn(departmentName(config, event.fromDepartment))}* to *${escapeMrkdwn(departmentName(config, event.toDepartment))}*.`;
    default:
      return `Your feedback *${item.reference}* was updated by ${who}: it is now *${STATUS_LABELS[item.status]}*.`;
  }
}

/** The polite, specific answer to a click or form that cannot change anything. */
export function refusalText(refusal: Refusal): string {
  const nothing = 'Nothing changed.';
  switch (refusal.reason) {
    case 'malformed':
      return `Sorry, that button did not say which feedback item it is for. ${nothing}`;
    case 'not-found':
      return `I can't find that feedback item any more; it may have been deleted. ${nothing}`;
    case 'not-allowed': {
      const where = refusal.department
        ? `members and leads of *${escapeMrkdwn(refusal.department.name)}*`
        : 'department leads and Courtesy Loop admins';
      const leads = refusal.department?.leads ?? [];
      const ask = leads.length ? ` If it needs attention, ask ${leads.map(userMention).join(' or ')}.` : '';
      return `Only ${where} can change *${refusal.item.reference}*. ${nothing}${ask}`;
    }
    case 'already': {
      const by = refusal.by ? ` by ${userMention(refusal.by)}` : '';
      const at = refusal.at ? ` ${slackDate(refusal.at)}` : '';
      return `*${refusal.item.reference}* was already ${PAST[refusal.action]}${by}${at}. ${nothing}`;
    }
    case 'moved': {
      const by = refusal.by ? ` by ${userMention(refusal.by)}` : '';
      const at = refusal.at ? ` ${slackDate(refusal.at)}` : '';
      const to = escapeMrkdwn(refusal.to?.name ?? 'triage');
      return `*${refusal.item.reference}* was already moved to *${to}*${by}${at}, so this form is out of date. ${nothing}`;
    }
    case 'stale':
      return `That message was out of date: *${refusal.item.reference}* is now *${STATUS_LABELS[refusal.item.status]}*. ${nothing} Please use the current message.`;
    case 'invalid-transition':
      return `*${refusal.item.reference}* is *${STATUS_LABELS[refusal.item.status]}*, so it cannot be ${PAST[refusal.action]} now. ${nothing}`;
    case 'same-department':
      return `*${refusal.item.reference}* is already with *${escapeMrkdwn(refusal.department?.name ?? 'that department')}*. Pick another department; ${nothing.toLowerCase()}`;
    case 'unknown-department':
      return `Please pick a department to send *${refusal.item.reference}* to. ${nothing}`;
    case 'no-other-department':
      return `There is no other department to send *${refusal.item.reference}* to. ${nothing}`;
    case 'note-required':
      return 'Please write what was done, so the reporter can tell the customer.';
  }
}

/** The item and version a form was opened on, and its department then (a form must not outlive a move). */
export type LifecycleModalMetadata = { itemId: number; version: number; departmentId: string | null };

/** Title, buttons and the item + version the submission must still match, shared by both lifecycle forms. */
function lifecycleModalFrame(item: FeedbackItem, callbackId: string, verb: string) {
  return {
    type: 'modal' as const,
    callback_id: callbackId,
    title: plain(`${verb} ${item.reference}`, LIMITS.modalTitle),
    submit: plain(verb, LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    private_metadata: JSON.stringify({
      itemId: item.id,
      version: item.version,
      departmentId: item.departmentId ?? null,
    } satisfies LifecycleModalMetadata),
  };
}

export function resolveModal(item: FeedbackItem): View {
  return {
    ...lifecycleModalFrame(item, Views.feedbackResolve, 'Resolve'),
    blocks: [
      section(quoteMrkdwn(userText(item.summary, 600))),
      {
        type: 'input',
        block_id: LifecycleFormBlocks.resolutionNote,
        label: plain('Resolution'),
        hint: plain('What was done. The reporter gets this to tell the customer.'),
        element: { type: 'plain_text_input', action_id: FormAction, multiline: true, max_length: 2000 },
      },
      {
        type: 'input',
        block_id: LifecycleFormBlocks.customerContacted,
        optional: true,
        label: plain('Customer'),
        element: {
          type: 'checkboxes',
          action_id: FormAction,
          options: [option('The customer was contacted', 'contacted')],
        },
      },
    ],
  };
}

export function reassignModal(item: FeedbackItem, config: OrgConfig): View {
  const others = config.departments.filter((d) => d.id !== item.departmentId).slice(0, LIMITS.options);
  return {
    ...lifecycleModalFrame(item, Views.feedbackReassign, 'Reassign'),
    blocks: [
      section(quoteMrkdwn(userText(item.summary, 600))),
      {
        type: 'input',
        block_id: LifecycleFormBlocks.reassignTo,
        label: plain('Send to'),
        element: {
          type: 'static_select',
          action_id: FormAction,
          placeholder: plain('Choose a department'),
          options: others.map((d) => option(d.name, d.id)),
        },
      },
    ],
  };
}

/** "See the message in #billing", linked to the message itself when Slack gave a permalink. */
function seeTheMessage(item: FeedbackItem, link: string | undefined): string {
  if (!item.postChannelId || !item.postTs) return '';
  const message = link ? `<${link}|See the message>` : 'See the message';
  return `${message} in ${channelMention(item.postChannelId)}.`;
}

export function escalationDmText(
  item: FeedbackItem,
  e: DueEscalation,
  department: Department,
  link?: string,
): string {
  const what = e.kind === 'acknowledge' ? 'acknowledged' : 'resolved';
  return (
    `:alarm_clock: *${item.reference}* (${SEVERITY_LABELS[item.severity].toLowerCase()}, “${escapeAndTruncate(item.summary, 150)}”) ` +
    `in *${escapeMrkdwn(department.name)}* should have been ${what} by ${slackDate(e.dueAt)} and is still *${STATUS_LABELS[item.status]}*. ` +
    seeTheMessage(item, link)
  ).trim();
}

export function escalationTriageText(
  item: FeedbackItem,
  e: DueEscalation,
  department: Department,
  now: number,
  link?: string,
): string {
  const what = e.kind === 'acknowledge' ? 'acknowledged' : 'resolved';
  return (
    `:rotating_light: *${item.reference}* in *${escapeMrkdwn(department.name)}* is still *${STATUS_LABELS[item.status]}*: ` +
    `${formatDuration(now - item.slaStartedAt)} after it came in, well past its time to be ${what}. The leads ` +
    `(${department.leads.map(userMention).join(', ') || 'none configured'}) were told. “${escapeAndTruncate(item.summary, 200)}” ` +
    seeTheMessage(item, link)
  ).trim();
}

/** `/feedback mine`: the caller's open items with status. */
export function mineText({ open: items, filedAny }: MyFeedback, config: OrgConfig): string {
  if (!filedAny) {
    return (
      'You have not forwarded any customer feedback yet, so there is nothing to list. ' +
      `When a customer tells you something, \`${Commands.feedback} what they said\` sends it to the right team.`
    );
  }
  if (items.length === 0)
    return 'You have no open feedback items. Everything you forwarded has been resolved.';
  const lines = items.map(
    (i) =>
      `• *${i.reference}* · ${STATUS_LABELS[i.status]} · ${escapeMrkdwn(departmentName(config, i.departmentId))} · “${escapeAndTruncate(i.summary, 100)}” · ${slackDate(i.createdAt, '{date_short}')}`,
  );
  return `*Your open feedback (${items.length}${items.length === 20 ? ', newest first' : ''})*\n${lines.join('\n')}`;
}
