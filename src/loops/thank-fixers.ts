import type { View } from '@slack/types';
import type { ServiceDeps } from '../app-core.js';
import { listFeedbackEvents } from '../feedback/history-repo.js';
import { getFeedbackItem } from '../feedback/repo.js';
import { fixersOf } from '../feedback/resolved-dm-blocks.js';
import { kudosModal, kudosOffText } from '../kudos/blocks.js';
import { escapeAndTruncate } from '../slack/mrkdwn.js';

export type ThankFixersForm = { ok: true; view: View } | { ok: false; text: string };

/**
 * **Thank the people who fixed it**, from the reporter's "resolved" DM: the kudos form filled in with whoever
 * acknowledged and resolved the item (never the reporter), linked to the item's department message. The people
 * are read from the item's history when the button is clicked, not from the button.
 */
export function thankFixersForm(deps: ServiceDeps, userId: string, itemId: number): ThankFixersForm {
  const kudos = deps.config().kudos;
  if (!kudos) return { ok: false, text: kudosOffText() };
  const item = getFeedbackItem(deps.db, itemId);
  if (!item)
    return { ok: false, text: 'I can’t find that feedback item any more, so there is nobody to thank.' };
  if (item.reporterId !== userId) {
    return {
      ok: false,
      text: `This button is for the person who filed *${item.reference}*. To thank anyone, use \`/kudos\`.`,
    };
  }
  const fixers = fixersOf(item, listFeedbackEvents(deps.db, item.id)).slice(0, kudos.max_recipients);
  if (fixers.length === 0) {
    return {
      ok: false,
      text: `Nobody but you acknowledged or resolved *${item.reference}*, so there is nobody to thank.`,
    };
  }
  const linked = item.postChannelId !== undefined && item.postTs !== undefined;
  const summary = escapeAndTruncate(item.summary, 150);
  const view = kudosModal(
    kudos,
    linked ? { sourceChannelId: item.postChannelId, sourceMessageTs: item.postTs } : {},
    {
      recipientIds: fixers,
      intro: `Thanking the people who fixed *${item.reference}* (“${summary}”).${linked ? ' The item will be linked.' : ''}`,
    },
  );
  return { ok: true, view };
}
