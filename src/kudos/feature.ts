import type { AppCore, Feature } from '../app-core.js';
import { postToResponseUrl } from '../slack/error-path.js';
import { createKudosDeliveryHandlers } from './delivery-handlers.js';
import { reactionAddedIn, registerKudosListeners } from './listeners.js';
import { kudosPeople } from './people.js';
import { journalledReactionsDueNow } from './reactions.js';
import { createKudosService } from './service.js';

/** The kudos room: `/kudos`, the shortcut and its form, emoji reactions, the ledger and its Slack side. */
export function createKudosFeature(core: AppCore): Feature {
  const { db, clock, config } = core;
  const people = kudosPeople(core.directory);
  const kudos = createKudosService({
    db,
    clock,
    config,
    people,
    logger: core.logger.child({ module: 'kudos' }),
  });
  // Reactions journalled by a process that stopped before giving them: given as soon as delivery runs.
  journalledReactionsDueNow(db, clock.now());
  return {
    async beforeAnswer(body) {
      const reaction = reactionAddedIn(body);
      if (reaction) await kudos.journalReaction(reaction);
    },
    listeners(app) {
      registerKudosListeners(app, {
        kudos,
        outboxQueued: core.outboxQueued,
        now: () => clock.now(),
        nameOf: core.nameOf,
      });
    },
    deliveryHandlers: createKudosDeliveryHandlers({ config, people, kudos, postToResponseUrl }),
    tasks: [{ name: 'slack-event-ids-prune', run: (now) => kudos.pruneEventLog(now) }],
  };
}
