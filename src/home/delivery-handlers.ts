import { z } from 'zod';
import type { DeliveryHandler } from '../slack/delivery/delivery.js';
import { OutboxKinds } from '../slack/ids.js';
import { permalinksOf } from '../slack/permalinks.js';
import type { HomeService } from './service.js';
import { homeView } from './view.js';

const homePayload = z.object({ userId: z.string().min(1) });

/** Publishes a person's App Home (queued on app_home_opened, after a kudos, after choosing a period). */
export function createHomeDeliveryHandlers(deps: { home: HomeService }): Record<string, DeliveryHandler> {
  const publish: DeliveryHandler = async (payload, { client }) => {
    const { userId } = homePayload.parse(payload);
    const content = await deps.home.content(userId);
    const links = await permalinksOf(client, [
      ...content.mine.items.map(({ item }) => item),
      ...content.teams.flatMap((team) => team.open.oldest),
    ]);
    await client.views.publish({ user_id: userId, view: homeView(content, links) });
  };
  return { [OutboxKinds.homePublish]: publish };
}
