import { outboxHandlers } from '../slack/delivery/outbox-kinds.js';
import { permalinksOf } from '../slack/permalinks.js';
import { homeOutbox } from './outbox.js';
import type { HomeService } from './service.js';
import { homeView } from './view.js';

/** Publishes a person's App Home (queued on app_home_opened, after a kudos, after choosing a period). */
export function createHomeDeliveryHandlers(deps: { home: HomeService }) {
  return outboxHandlers(homeOutbox, {
    'home.publish': async ({ userId }, { client }) => {
      const content = await deps.home.content(userId);
      const links = await permalinksOf(client, [
        ...content.mine.items.map(({ item }) => item),
        ...content.teams.flatMap((team) => team.open.oldest),
      ]);
      await client.views.publish({ user_id: userId, view: homeView(content, links) });
    },
  });
}
