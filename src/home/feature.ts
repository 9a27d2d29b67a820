import type { AppCore, Feature } from '../app-core.js';
import { kudosPeople } from '../kudos/people.js';
import type { StrategyService } from '../strategy/service.js';
import { createHomeDeliveryHandlers } from './delivery-handlers.js';
import { createHomeService } from './service.js';

/** The Home room: what one person sees on the App Home tab, published through the outbox. */
export function createHomeFeature(
  core: AppCore,
  deps: { teamStrategy: StrategyService['teamStrategy'] },
): Feature {
  const home = createHomeService({
    db: core.db,
    clock: core.clock,
    config: core.config,
    people: kudosPeople(core.directory),
    groupMembers: core.directory.usergroupMembers,
    teamStrategy: deps.teamStrategy,
  });
  return { deliveryHandlers: createHomeDeliveryHandlers({ home }) };
}
