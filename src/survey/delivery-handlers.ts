import type { OrgConfig } from '../config/org-schema.js';
import { getFeedbackItem } from '../feedback/repo.js';
import { NotYetPostedError } from '../slack/delivery/not-yet-posted.js';
import { outboxHandlers } from '../slack/delivery/outbox-kinds.js';
import { permalinkOf } from '../slack/permalinks.js';
import type { Db } from '../store/db.js';
import { surveyOutbox } from './outbox.js';
import { leadLowScoreText, lowScoreThreadText, reporterAnswerText } from './survey-blocks.js';
import { getSurveyRequest } from './survey-repo.js';

/** What an answer sends, rendered from the stored answer when it goes out (each safe to run again). */
export function createSurveyDeliveryHandlers(deps: { config: () => OrgConfig }) {
  const load = (db: Db, requestId: number) => {
    const request = getSurveyRequest(db, requestId);
    const item = request && getFeedbackItem(db, request.itemId);
    if (!request?.answer || !item) throw new Error(`survey answer ${requestId} not found`);
    return { request, answer: request.answer, item };
  };

  return outboxHandlers(surveyOutbox, {
    'survey.reporter_dm': async ({ requestId }, { db, post }) => {
      const { item, answer } = load(db, requestId);
      await post({ channel: item.reporterId, text: reporterAnswerText(item, answer) });
    },
    'survey.thread_note': async ({ requestId }, { db, post }) => {
      const { item, answer } = load(db, requestId);
      if (!item.postChannelId || !item.postTs) {
        throw new NotYetPostedError(`${item.reference} is not posted yet; the survey answer waits for it`);
      }
      await post({ channel: item.postChannelId, thread_ts: item.postTs, text: lowScoreThreadText(answer) });
    },
    'survey.lead_dm': async ({ requestId, leadId }, { client, db, logger, post }) => {
      const { request, item, answer } = load(db, requestId);
      const department = deps.config().departments.find((d) => d.id === request.departmentId);
      const link = await permalinkOf(client, item.postChannelId, item.postTs, logger);
      await post({
        channel: leadId,
        text: leadLowScoreText(item, answer, department, link),
        unfurl_links: false,
      });
    },
  });
}
