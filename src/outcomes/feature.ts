import type { AppCore, Feature } from '../app-core.js';
import { groupServiceDeps, queuingTask } from '../app-core.js';
import { createLifecycleService } from '../feedback/lifecycle.js';
import type { FeedbackService } from '../feedback/service.js';
import { createOutcomeDeliveryHandlers } from './delivery-handlers.js';
import { runDueFollowUps } from './follow-up-job.js';
import { registerOutcomeListeners } from './listeners.js';
import { createOutcomeService } from './service.js';

/**
 * The outcomes room (issue 18): told the customer, waiting on the customer, and the follow-up that asks whether
 * the customer stayed. Its numbers are in metrics/numbers.ts; the digest, reminders and /strategy show them.
 */
export function createOutcomesFeature(core: AppCore, deps: { submit: FeedbackService['submit'] }): Feature {
  const service = groupServiceDeps(core, 'outcomes');
  const lifecycle = createLifecycleService(service);
  const outcomes = createOutcomeService({ ...service, lifecycle, feedback: { submit: deps.submit } });
  return {
    listeners: (app) => registerOutcomeListeners(app, { outcomes, outboxQueued: core.outboxQueued }),
    deliveryHandlers: createOutcomeDeliveryHandlers({ config: core.config }),
    tasks: [queuingTask(core, 'customer-follow-up', (now) => runDueFollowUps(service, now))],
  };
}
