import type { ServiceDeps } from '../app-core.js';
import type { LifecycleService } from '../feedback/lifecycle.js';
import { getFeedbackItem } from '../feedback/repo.js';
import type { FeedbackService } from '../feedback/service.js';
import { FEEDBACK_LIMITS, type FeedbackItem } from '../feedback/types.js';
import { truncateText } from '../text/truncate.js';
import { type FollowUp, getFollowUp, recordOutcome, setLinkedItem } from './follow-up-repo.js';
import { noteOnItem } from './item-notes.js';

/**
 * The reporter's answer to a follow-up: **Still a customer**, **Came back with the same problem** (reopens the item,
 * or files a new one linked to it when it closed more than `feedback.reopen_within_days` ago) or **Left** (a reason
 * from `feedback.follow_up.leave_reasons` and an optional note). Recorded once, with who and when, and shown in the
 * item's thread.
 */

const DAY = 86_400_000;
export const LEAVE_NOTE_MAX = 1000;

export type FollowUpAnswer = {
  actorId: string;
  followUpId: number;
  outcome: 'kept' | 'came_back' | 'lost';
  reason?: string | undefined;
  note?: string | undefined;
};

export type AnswerResult =
  | {
      ok: true;
      item: FeedbackItem;
      outcome: FollowUpAnswer['outcome'];
      reason?: string | undefined;
      /** Came back: the item was reopened, or this new item was filed. */
      reopened?: boolean;
      filed?: FeedbackItem;
    }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'not-reporter'; item: FeedbackItem }
  | { ok: false; reason: 'already'; item: FeedbackItem; followUp: FollowUp }
  | { ok: false; reason: 'unknown-reason'; reasons: readonly string[] };

export type AnswerDeps = ServiceDeps & {
  lifecycle: Pick<LifecycleService, 'change'>;
  feedback: Pick<FeedbackService, 'submit'>;
};

/** The configured reason this answer names (any case), or undefined. */
export function leaveReasonOf(reasons: readonly string[], given: string | undefined): string | undefined {
  const wanted = given?.trim().toLowerCase();
  return reasons.find((r) => r.toLowerCase() === wanted);
}

export async function answerFollowUp(deps: AnswerDeps, answer: FollowUpAnswer): Promise<AnswerResult> {
  const { db, clock } = deps;
  const config = deps.config();
  const reasons = config.feedback.follow_up.leave_reasons;
  const reason = answer.outcome === 'lost' ? leaveReasonOf(reasons, answer.reason) : undefined;
  if (answer.outcome === 'lost' && !reason) return { ok: false, reason: 'unknown-reason', reasons };
  const note = answer.note?.trim() ? truncateText(answer.note.trim(), LEAVE_NOTE_MAX) : undefined;
  const recorded = db
    .transaction((): AnswerResult | { ok: true; followUp: FollowUp; item: FeedbackItem } => {
      const followUp = getFollowUp(db, answer.followUpId);
      const item = followUp && getFeedbackItem(db, followUp.itemId);
      if (!followUp || !item) return { ok: false, reason: 'not-found' };
      if (followUp.reporterId !== answer.actorId) return { ok: false, reason: 'not-reporter', item };
      const at = clock.now();
      if (
        !recordOutcome(db, { id: followUp.id, outcome: answer.outcome, by: answer.actorId, at, reason, note })
      ) {
        return { ok: false, reason: 'already', item, followUp };
      }
      if (answer.outcome !== 'came_back') {
        const said = answer.outcome === 'lost' ? `${reason}${note ? `: ${note}` : ''}` : undefined;
        noteOnItem(db, config, {
          item,
          actorId: answer.actorId,
          action: `outcome_${answer.outcome}`,
          note: said,
          now: at,
        });
      }
      return { ok: true, followUp, item };
    })
    .immediate();
  if (!recorded.ok) return recorded;
  if (!('followUp' in recorded)) return recorded;
  if (answer.outcome !== 'came_back')
    return { ok: true, item: recorded.item, outcome: answer.outcome, reason };
  return cameBack(deps, recorded.followUp, recorded.item, answer.actorId);
}

/** The customer came back: reopen the item if it closed recently enough, else file a new one linked to it. */
async function cameBack(
  deps: AnswerDeps,
  f: FollowUp,
  item: FeedbackItem,
  actorId: string,
): Promise<AnswerResult> {
  const { db, clock } = deps;
  const config = deps.config();
  const now = clock.now();
  const recent = now - f.resolvedAt <= config.feedback.reopen_within_days * DAY;
  if (recent && item.status === 'resolved') {
    const reopened = await deps.lifecycle.change({
      actorId,
      ref: { itemId: item.id, version: item.version },
      action: 'reopen',
      note: 'The customer came back with the same problem (follow-up).',
      byFollowUp: true,
    });
    if (reopened.ok) {
      db.transaction(() =>
        noteOnItem(db, config, {
          item: reopened.item,
          actorId,
          action: 'outcome_came_back',
          note: 'reopened',
          now,
        }),
      ).immediate();
      return { ok: true, item: reopened.item, outcome: 'came_back', reopened: true };
    }
  }
  const filed = deps.feedback.submit({
    idempotencyKey: `follow-up:${f.id}:came-back`,
    teamId: item.teamId,
    reporterId: item.reporterId,
    source: 'command',
    customer: item.customer,
    contactChannel: item.contactChannel,
    kind: item.kind,
    severity: item.severity,
    summary: truncateText(
      `Came back with the same problem as ${item.reference}: ${item.summary}`,
      FEEDBACK_LIMITS.summary,
    ),
    details:
      `Follow-up of ${item.reference}, resolved ${new Date(f.resolvedAt).toISOString().slice(0, 10)}: the customer came back with the same problem.\n\n${item.details}`.trim(),
    departmentId: item.departmentId,
    originChannelId: undefined,
    sourceChannelId: undefined,
    sourceMessageTs: undefined,
  });
  db.transaction(() => {
    setLinkedItem(db, f.id, filed.item.id);
    noteOnItem(db, config, {
      item,
      actorId,
      action: 'outcome_came_back',
      note: `filed as ${filed.item.reference}`,
      now,
    });
  }).immediate();
  return { ok: true, item, outcome: 'came_back', filed: filed.item };
}
