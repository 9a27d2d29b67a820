import type { KnownBlock } from '@slack/types';
import type { AppCore, Feature } from '../app-core.js';
import { groupServiceDeps, queuingTask } from '../app-core.js';
import { createDigestDeliveryHandlers } from './delivery-handlers.js';
import { digestPreviewResponse } from './render.js';
import { createDigestService } from './service.js';

export type DigestFeature = Feature & {
  /** `/loop digest`: the caller's digest for the week so far, or why they have none (may ask Slack). */
  preview(userId: string): Promise<{ text: string; blocks?: KnownBlock[] }>;
};

/** The digest room: weekly manager digests (schedule, compose, chart, DM) and the on-demand preview. */
export function createDigestFeature(core: AppCore): DigestFeature {
  const { config } = core;
  const digests = createDigestService({ ...groupServiceDeps(core), requestsInFlight: core.requestsInFlight });
  return {
    deliveryHandlers: createDigestDeliveryHandlers({ config, digests }),
    tasks: [queuingTask(core, 'manager-digests', (now) => digests.runDueDigests(now))],
    preview: async (userId) => digestPreviewResponse(await digests.preview(userId), config()),
  };
}
