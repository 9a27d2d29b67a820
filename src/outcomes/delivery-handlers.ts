import type { OrgConfig } from '../config/org-schema.js';
import { getFeedbackEvent } from '../feedback/history-repo.js';
import { getOutcomeState } from '../feedback/outcome-state-repo.js';
import { getFeedbackItem } from '../feedback/repo.js';
import { outboxHandlers } from '../slack/delivery/outbox-kinds.js';
import { followUpMessage, waitingDm } from './blocks.js';
import { getFollowUp } from './follow-up-repo.js';
import { outcomesOutbox } from './outbox.js';

/** The outcomes room's DMs, rendered from the stored rows when delivered. */
export function createOutcomeDeliveryHandlers(deps: { config: () => OrgConfig }) {
  return outboxHandlers(outcomesOutbox, {
    'outcomes.follow_up_dm': async ({ followUpId, step }, { db, post }) => {
      const f = getFollowUp(db, followUpId);
      const item = f && getFeedbackItem(db, f.itemId);
      if (!f || !item) throw new Error(`follow-up ${followUpId} not found`);
      if (f.outcome !== undefined) return; // answered before this went out: nothing to ask
      await post({ channel: f.reporterId, ...followUpMessage(item, f, step, deps.config()) });
    },
    'outcomes.waiting_dm': async ({ itemId, eventId }, { db, post }) => {
      const item = getFeedbackItem(db, itemId);
      const event = getFeedbackEvent(db, eventId);
      if (!item || !event) throw new Error(`feedback item ${itemId} or event ${eventId} not found`);
      const stillWaiting = getOutcomeState(db, itemId).waitingSince !== undefined;
      await post({ channel: item.reporterId, ...waitingDm(item, event, deps.config(), stillWaiting) });
    },
  });
}
