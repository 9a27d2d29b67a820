import type { ServiceDeps } from '../app-core.js';
import type { LifecycleService } from '../feedback/lifecycle.js';
import { getFeedbackItem } from '../feedback/repo.js';
import type { FeedbackService } from '../feedback/service.js';
import type { FeedbackItem } from '../feedback/types.js';
import { type ContactRequest, type ContactResult, recordContact } from './contact.js';
import { type AnswerResult, answerFollowUp, type FollowUpAnswer } from './follow-up-answers.js';
import { getFollowUp } from './follow-up-repo.js';
import { changeWaiting, customerAnswered, type WaitingResult } from './waiting.js';

/** Everything people do with outcomes, for the listeners: one call per click or form. */
export type OutcomeService = {
  recordContact(request: ContactRequest): ContactResult;
  changeWaiting(request: Parameters<typeof changeWaiting>[1]): Promise<WaitingResult>;
  customerAnswered(actorId: string, itemId: number): WaitingResult;
  answer(answer: FollowUpAnswer): Promise<AnswerResult>;
  /** Before the "Left" form opens: the item and the reasons, or why this person cannot answer. */
  leftForm(
    actorId: string,
    followUpId: number,
  ): { ok: true; item: FeedbackItem; reasons: readonly string[] } | Exclude<AnswerResult, { ok: true }>;
};

export function createOutcomeService(
  deps: ServiceDeps & { lifecycle: LifecycleService; feedback: Pick<FeedbackService, 'submit'> },
): OutcomeService {
  return {
    recordContact: (request) => recordContact(deps, request),
    changeWaiting: (request) => changeWaiting(deps, request),
    customerAnswered: (actorId, itemId) => customerAnswered(deps, actorId, itemId),
    answer: (answer) => answerFollowUp(deps, answer),
    leftForm(actorId, followUpId) {
      const f = getFollowUp(deps.db, followUpId);
      const item = f && getFeedbackItem(deps.db, f.itemId);
      if (!f || !item) return { ok: false, reason: 'not-found' };
      if (f.reporterId !== actorId) return { ok: false, reason: 'not-reporter', item };
      if (f.outcome !== undefined) return { ok: false, reason: 'already', item, followUp: f };
      return { ok: true, item, reasons: deps.config().feedback.follow_up.leave_reasons };
    },
  };
}
