import type { AppCore, Feature } from '../app-core.js';
import { groupServiceDeps, queuingTask } from '../app-core.js';
import { createStrategyDeliveryHandlers } from './delivery-handlers.js';
import { registerStrategyListeners } from './listeners.js';
import { type RemindOutcome, remindTeam } from './remind.js';
import { createStrategyService, type StrategyService } from './service.js';

export type StrategyFeature = Feature & {
  /** A team's role, commitments and numbers (the Home tab shows the caller's team). */
  teamStrategy: StrategyService['teamStrategy'];
  /** `/loop remind <department> [preview]`. */
  remind(department: string, preview: boolean): RemindOutcome;
};

/** The strategy room: `/strategy`, the scheduled team reminders and their commitments. */
export function createStrategyFeature(core: AppCore): StrategyFeature {
  const { clock, config } = core;
  const strategy = createStrategyService(groupServiceDeps(core));
  return {
    listeners: (app) => registerStrategyListeners(app, { strategy }),
    deliveryHandlers: createStrategyDeliveryHandlers({
      config,
      strategy,
      requestsInFlight: core.requestsInFlight,
    }),
    tasks: [queuingTask(core, 'team-reminders', (now) => strategy.runDueReminders(now))],
    teamStrategy: (department, period) => strategy.teamStrategy(department, period),
    remind: (department, preview) =>
      remindTeam(
        { strategy, config: config(), now: clock.now(), db: core.db, outboxQueued: core.outboxQueued },
        department,
        preview,
      ),
  };
}
