import type { ServiceDeps } from '../app-core.js';
import type { ButtonRef, LifecycleService, Refusal } from '../feedback/lifecycle.js';
import { getOutcomeState, startWaiting, stopWaiting } from '../feedback/outcome-state-repo.js';
import { getFeedbackItem } from '../feedback/repo.js';
import type { FeedbackItem } from '../feedback/types.js';
import { enqueueOutbox } from '../slack/delivery/outbox-repo.js';
import { noteOnItem } from './item-notes.js';

/**
 * **Waiting on customer**: the department pauses the item's SLA clock while it waits for the customer, until it
 * resumes the item or the reporter records the customer's answer. Each change is in the item's history and
 * thread, on its message, and in the reporter's DM.
 */

export type WaitingResult =
  | { ok: true; item: FeedbackItem }
  | ({ ok: false } & Refusal)
  | { ok: false; reason: 'not-waiting' | 'already-waiting' | 'not-reporter'; item: FeedbackItem };

export type WaitingDeps = ServiceDeps & { lifecycle: Pick<LifecycleService, 'check'> };

type Change = 'wait' | 'resume' | 'customer_answered';

/** The history row, the thread line and message update, and the reporter's DM of one change. */
function recordChange(deps: WaitingDeps, item: FeedbackItem, actorId: string, action: Change, now: number) {
  const eventId = noteOnItem(deps.db, deps.config(), { item, actorId, action, now });
  if (action === 'customer_answered') return; // the reporter recorded it: they know
  enqueueOutbox(
    deps.db,
    {
      kind: 'outcomes.waiting_dm',
      payload: { itemId: item.id, eventId },
      dedupeKey: `outcomes:waiting:${eventId}`,
      orderingKey: item.reporterId,
    },
    now,
  );
}

/** Department members and leads: wait on the customer, or resume. The button carries the item's version. */
export async function changeWaiting(
  deps: WaitingDeps,
  request: { actorId: string; ref: ButtonRef | undefined; action: 'wait' | 'resume' },
): Promise<WaitingResult> {
  // Whoever may resolve the item now may pause or resume its clock (membership, the version shown, open).
  const checked = await deps.lifecycle.check(request.actorId, request.ref, 'resolve');
  if (!checked.ok) return checked;
  const { db, clock } = deps;
  return db
    .transaction((): WaitingResult => {
      const item = getFeedbackItem(db, checked.item.id) ?? checked.item;
      const now = clock.now();
      const waiting = getOutcomeState(db, item.id).waitingSince !== undefined;
      if (request.action === 'wait' ? waiting : !waiting) {
        return { ok: false, reason: waiting ? 'already-waiting' : 'not-waiting', item };
      }
      const changed =
        request.action === 'wait'
          ? startWaiting(db, item.id, item.version, now)
          : stopWaiting(db, item.id, now);
      if (!changed) return { ok: false, reason: 'stale', item };
      recordChange(deps, item, request.actorId, request.action, now);
      return { ok: true, item: getFeedbackItem(db, item.id) ?? item };
    })
    .immediate();
}

/** The reporter: the customer answered, so the department's clock runs again. */
export function customerAnswered(deps: WaitingDeps, actorId: string, itemId: number): WaitingResult {
  const { db, clock } = deps;
  return db
    .transaction((): WaitingResult => {
      const item = getFeedbackItem(db, itemId);
      if (!item) return { ok: false, reason: 'not-found' };
      if (item.reporterId !== actorId) return { ok: false, reason: 'not-reporter', item };
      const now = clock.now();
      if (!stopWaiting(db, item.id, now)) return { ok: false, reason: 'not-waiting', item };
      recordChange(deps, item, actorId, 'customer_answered', now);
      return { ok: true, item: getFeedbackItem(db, item.id) ?? item };
    })
    .immediate();
}
