import type { ServiceDeps } from '../app-core.js';
import { type ContactAnswer, getOutcomeState, setContactAnswer } from '../feedback/outcome-state-repo.js';
import { getFeedbackItem } from '../feedback/repo.js';
import type { FeedbackItem } from '../feedback/types.js';
import { noteOnItem } from './item-notes.js';

/**
 * The reporter's answer to the resolved DM: **Told the customer** or **Couldn't reach them**, for the resolution the
 * DM was about. Recorded with who and when (the source of the contacted rate), and shown in the item's thread.
 */

export type ContactRequest = { actorId: string; itemId: number; resolvedAt: number; answer: ContactAnswer };

export type ContactResult =
  | { ok: true; item: FeedbackItem; answer: ContactAnswer }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'not-reporter'; item: FeedbackItem }
  | { ok: false; reason: 'reopened'; item: FeedbackItem }
  | { ok: false; reason: 'already'; item: FeedbackItem; answer: ContactAnswer };

export function recordContact(deps: ServiceDeps, request: ContactRequest): ContactResult {
  const { db, clock } = deps;
  return db
    .transaction((): ContactResult => {
      const item = getFeedbackItem(db, request.itemId);
      if (!item) return { ok: false, reason: 'not-found' };
      if (item.reporterId !== request.actorId) return { ok: false, reason: 'not-reporter', item };
      if (item.status !== 'resolved' || item.resolvedAt !== request.resolvedAt) {
        return { ok: false, reason: 'reopened', item };
      }
      const now = clock.now();
      const { answer } = request;
      if (
        !setContactAnswer(db, {
          itemId: item.id,
          resolvedAt: request.resolvedAt,
          answer,
          by: request.actorId,
          at: now,
        })
      ) {
        return { ok: false, reason: 'already', item, answer };
      }
      const action = answer === 'told' ? 'contact_told' : 'contact_unreachable';
      noteOnItem(db, deps.config(), { item, actorId: request.actorId, action, now });
      return { ok: true, item, answer: getOutcomeState(db, item.id).contactAnswer ?? answer };
    })
    .immediate();
}
