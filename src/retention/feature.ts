import type { AppCore, Feature } from '../app-core.js';
import { createRetentionService, type RetentionService } from './service.js';

export type RetentionFeature = Feature & { service: RetentionService };

/** The retention room: customer details removed after the configured days (a daily task), or on request. */
export function createRetentionFeature(core: AppCore, deps: { onErased: () => void }): RetentionFeature {
  const service = createRetentionService({
    db: core.db,
    clock: core.clock,
    config: core.config,
    logger: core.logger,
    onErased: deps.onErased,
    requestsInFlight: core.requestsInFlight,
  });
  return { service, tasks: [{ name: 'customer-retention', run: (now) => service.runDue(now) }] };
}
