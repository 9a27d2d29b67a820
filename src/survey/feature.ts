import type { KnownBlock } from '@slack/types';
import type { AppCore, Feature } from '../app-core.js';
import type { StoredFeedbackEvent } from '../feedback/history-repo.js';
import type { FeedbackItem } from '../feedback/types.js';
import type { WebPage } from '../slack/web-page.js';
import { createSurveyDeliveryHandlers } from './delivery-handlers.js';
import { registerSurveyListeners } from './listeners.js';
import { surveyOfferBlocks } from './survey-blocks.js';
import { createSurveyPage, SURVEY_PREFIX } from './survey-http.js';
import { createSurveyService } from './survey-service.js';
import { signSurveyToken } from './survey-token.js';

/** The survey room: the customer's one-question survey, its page, and what an answer sends. */
export type SurveyFeature = Feature & {
  /** The survey part of the reporter's "resolved" DM (the feedback room renders the DM). */
  resolvedDmBlocks(item: FeedbackItem, resolution: StoredFeedbackEvent): KnownBlock[];
  /** The survey page, served on the app's own HTTP server. */
  page: WebPage;
};

export function createSurveyFeature(core: AppCore, options: { secret: string | undefined }): SurveyFeature {
  const { db, clock, config, logger, outboxQueued } = core;
  const survey = createSurveyService({ db, clock, config, logger: logger.child({ module: 'survey' }) });
  const { secret } = options;
  return {
    listeners: (app) => registerSurveyListeners(app, { survey, outboxQueued }),
    deliveryHandlers: createSurveyDeliveryHandlers({ config }),
    resolvedDmBlocks(item, resolution) {
      const request = survey.requestFor(item, resolution);
      const base = config().survey.public_url;
      // A public page needs the secret to sign with; without either, the rep records the score instead.
      const link =
        base && secret
          ? `${base}${SURVEY_PREFIX}${signSurveyToken(secret, request.publicId, request.expiresAt)}`
          : undefined;
      return surveyOfferBlocks(request, link);
    },
    page: createSurveyPage({ survey, config, secret, logger, outboxQueued }),
  };
}
