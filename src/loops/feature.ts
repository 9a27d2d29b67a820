import type { AppCore, Feature } from '../app-core.js';
import type { OnFeedbackFiled } from '../feedback/service.js';
import { kudosPeople } from '../kudos/people.js';
import { registerLoopsListeners } from './listeners.js';
import { createPraiseDeliveryHandlers } from './praise-delivery.js';
import { queueCustomerPraise } from './praise-intake.js';
import { thankFixersForm } from './thank-fixers.js';

/** The loops room, and the hook the feedback room calls in its intake transaction. */
export type LoopsFeature = Feature & { onFeedbackFiled: OnFeedbackFiled };

/**
 * The two loops joined: customer praise passed on to the colleagues it names, and the reporter thanking the
 * people who fixed an item (the "+1" reaction lives with the other reactions, in the kudos room).
 */
export function createLoopsFeature(core: AppCore): LoopsFeature {
  const { db, clock, config } = core;
  const deps = { db, clock, config, logger: core.logger.child({ module: 'loops' }) };
  return {
    listeners(app) {
      registerLoopsListeners(app, {
        thankFixersForm: (userId, itemId) => thankFixersForm(deps, userId, itemId),
      });
    },
    deliveryHandlers: createPraiseDeliveryHandlers({ config, people: kudosPeople(core.directory) }),
    onFeedbackFiled: (filed) => queueCustomerPraise(db, filed),
  };
}
