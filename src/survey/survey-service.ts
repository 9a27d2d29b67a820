import type { ServiceDeps } from '../app-core.js';
import type { StoredFeedbackEvent } from '../feedback/history-repo.js';
import { getFeedbackItem } from '../feedback/repo.js';
import type { FeedbackItem } from '../feedback/types.js';
import { enqueueOutbox } from '../slack/delivery/outbox-repo.js';
import {
  ensureSurveyRequest,
  findSurveyRequest,
  getSurveyRequest,
  type SurveyRequest,
  storeSurveyAnswer,
} from './survey-repo.js';
import { newSurveyPublicId } from './survey-token.js';

const DAY_MS = 86_400_000;

/** Scores at or below this are a warning: posted in the item's thread and sent to the department's leads. */
export const LOW_SCORE = 2;

/** Where a survey stands when someone opens it or answers it. */
export type SurveyState =
  | { state: 'open'; request: SurveyRequest }
  | { state: 'answered'; request: SurveyRequest }
  | { state: 'expired'; request: SurveyRequest }
  | { state: 'unknown' };

/** What answering did: `stored` this answer, or the state that stopped it (nothing stored). */
export type SurveyAnswerResult =
  | Exclude<SurveyState, { state: 'open' }>
  | { state: 'stored'; request: SurveyRequest };

export type SurveyRef = { publicId: string; expiresAt?: number } | { requestId: number };

export type SurveyAnswerInput = {
  score: number;
  comment: string | undefined;
  via: 'page' | 'rep';
  /** The rep who recorded it (modal); undefined when the customer answered. */
  recordedBy?: string | undefined;
};

/** Why a rep cannot record a score: the survey is gone, someone else's, answered or expired. */
export type RecordRefusal = {
  ok: false;
  reason: 'unknown' | 'not-reporter' | 'answered' | 'expired';
  request?: SurveyRequest;
};
export type RecordCheck = { ok: true; request: SurveyRequest; item: FeedbackItem } | RecordRefusal;

export type SurveyService = ReturnType<typeof createSurveyService>;

/** Survey requests (one per resolution) and their answers, with the messages an answer sends, in one transaction. */
export function createSurveyService(deps: ServiceDeps) {
  const { db, clock, config } = deps;

  /** A request that does not exist, or that a link names with another expiry than the stored one, is unknown. */
  const stateOf = (ref: SurveyRef): SurveyState => {
    const request =
      'requestId' in ref ? getSurveyRequest(db, ref.requestId) : findSurveyRequest(db, ref.publicId);
    if (!request) return { state: 'unknown' };
    if ('expiresAt' in ref && ref.expiresAt !== undefined && ref.expiresAt !== request.expiresAt) {
      return { state: 'unknown' };
    }
    if (request.answer) return { state: 'answered', request };
    if (clock.now() >= request.expiresAt) return { state: 'expired', request };
    return { state: 'open', request };
  };

  /** Queue what an answer sends: the reporter always; the thread and each lead for a low score. */
  const queueFollowOns = (request: SurveyRequest, score: number, now: number) => {
    const id = request.id;
    enqueueOutbox(
      db,
      {
        kind: 'survey.reporter_dm',
        payload: { requestId: id },
        dedupeKey: `survey:${id}:reporter`,
        orderingKey: request.reporterId,
      },
      now,
    );
    if (score > LOW_SCORE) return;
    const department = config().departments.find((d) => d.id === request.departmentId);
    const thread = getFeedbackItem(db, request.itemId)?.postChannelId;
    enqueueOutbox(
      db,
      {
        kind: 'survey.thread_note',
        payload: { requestId: id },
        dedupeKey: `survey:${id}:thread`,
        orderingKey: thread ?? department?.channel ?? config().triage.channel,
      },
      now,
    );
    for (const leadId of new Set(department?.leads ?? [])) {
      enqueueOutbox(
        db,
        {
          kind: 'survey.lead_dm',
          payload: { requestId: id, leadId },
          dedupeKey: `survey:${id}:lead:${leadId}`,
          orderingKey: leadId,
        },
        now,
      );
    }
  };

  /** The reporter records the customer's score, while the survey is open (the modal, without a public page). */
  const checkRecorder = (requestId: number, userId: string): RecordCheck => {
    const current = stateOf({ requestId });
    if (current.state === 'unknown') return { ok: false, reason: 'unknown' };
    const { request } = current;
    const item = getFeedbackItem(db, request.itemId);
    if (!item) return { ok: false, reason: 'unknown' };
    if (request.reporterId !== userId) return { ok: false, reason: 'not-reporter', request };
    if (current.state !== 'open') return { ok: false, reason: current.state, request };
    return { ok: true, request, item };
  };

  /**
   * Store an answer once: an answered, expired or unknown survey stores nothing and says which it is.
   * The answer and its messages are committed together.
   */
  const answer = (ref: SurveyRef, input: SurveyAnswerInput): SurveyAnswerResult => {
    if (input.score < 1 || input.score > 5 || !Number.isInteger(input.score)) {
      throw new RangeError(`a survey score is 1 to 5, not ${input.score}`);
    }
    return db
      .transaction((): SurveyAnswerResult => {
        const current = stateOf(ref);
        if (current.state !== 'open') return current;
        const now = clock.now();
        const stored = storeSurveyAnswer(db, current.request.id, {
          score: input.score,
          comment: input.comment,
          answeredAt: now,
          via: input.via,
          recordedBy: input.recordedBy,
        });
        // Answered meanwhile (the row is written once): report what stopped this one.
        if (!stored) return { state: 'answered', request: current.request };
        queueFollowOns(current.request, input.score, now);
        return { state: 'stored', request: getSurveyRequest(db, current.request.id) ?? current.request };
      })
      .immediate();
  };

  return {
    stateOf,
    checkRecorder,
    answer,

    /**
     * The survey request of a resolution (made once; the DM that offers it may be rendered again). It counts for
     * the department that holds the item as it is resolved.
     */
    requestFor(item: FeedbackItem, resolution: Pick<StoredFeedbackEvent, 'id'>): SurveyRequest {
      const now = clock.now();
      const expiresAt = Math.floor((now + config().survey.expires_days * DAY_MS) / 1000) * 1000;
      return ensureSurveyRequest(db, {
        publicId: newSurveyPublicId(),
        itemId: item.id,
        eventId: resolution.id,
        departmentId: item.departmentId,
        reporterId: item.reporterId,
        createdAt: now,
        expiresAt,
      });
    },

    /** The reporter's recording of the customer's score: checked again at submission, then stored like an answer. */
    record(requestId: number, userId: string, score: number, comment: string | undefined): RecordCheck {
      const check = checkRecorder(requestId, userId);
      if (!check.ok) return check;
      const result = answer({ requestId }, { score, comment, via: 'rep', recordedBy: userId });
      if (result.state === 'stored') return { ...check, request: result.request };
      return { ok: false, reason: result.state, request: check.request };
    },
  };
}
