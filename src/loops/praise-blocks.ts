import type { KnownBlock } from '@slack/types';
import type { FeedbackItem } from '../feedback/types.js';
import { people as mentions } from '../kudos/blocks.js';
import { context, section, userMention, userText } from '../slack/blocks.js';
import { quoteMrkdwn } from '../slack/mrkdwn.js';

/** The customer's words, escaped and quoted (only the summary: the details may hold who the customer is). */
const quote = (item: Pick<FeedbackItem, 'summary'>) => quoteMrkdwn(userText(item.summary, 600));

/** The "A customer said…" card in the kudos channel. */
export function praiseCardBlocks(item: FeedbackItem, recipientIds: readonly string[]): KnownBlock[] {
  return [
    section(`:speech_balloon: *A customer said…*\n${quote(item)}`),
    context([
      `About ${mentions(recipientIds)} · passed on by ${userMention(item.reporterId)} · ${item.reference}`,
    ]),
  ];
}

export function praiseCardText(item: FeedbackItem, recipientIds: readonly string[]): string {
  return `A customer praised ${mentions(recipientIds)} (passed on by ${userMention(item.reporterId)})`;
}

/** The DM to each colleague the customer praised. */
export function praiseDmText(item: FeedbackItem, link: string | undefined): string {
  const see = link ? `\n<${link}|See it in Slack>` : '';
  return (
    `:speech_balloon: A customer praised you! ${userMention(item.reporterId)} passed on what they said ` +
    `(${item.reference}):\n${quote(item)}${see}`
  );
}
