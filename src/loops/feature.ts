import type { AppCore, Feature } from '../app-core.js';
import { registerLoopsListeners } from './listeners.js';
import { thankFixersForm } from './thank-fixers.js';

/**
 * The two loops joined: customer praise passed on to the colleagues it names, the reporter thanking the people
 * who fixed an item (the "+1" reaction lives with the other reactions, in the kudos room).
 */
export function createLoopsFeature(core: AppCore): Feature {
  const deps = {
    db: core.db,
    clock: core.clock,
    config: core.config,
    logger: core.logger.child({ module: 'loops' }),
  };
  return {
    listeners(app) {
      registerLoopsListeners(app, {
        thankFixersForm: (userId, itemId) => thankFixersForm(deps, userId, itemId),
      });
    },
  };
}
