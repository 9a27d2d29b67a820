import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';

/** Something posted in Slack that a message can link to (a feedback item's department message). */
export type Linkable = { id: number; postChannelId: string | undefined; postTs: string | undefined };

/**
 * A message's permalink (`chat.getPermalink`, Tier 4), or undefined when there is no message or Slack cannot
 * say: a link is a convenience, and what carries it still goes out without it (shown by its reference alone).
 */
export async function permalinkOf(
  client: WebClient,
  channel: string | undefined,
  ts: string | undefined,
  logger?: Logger,
): Promise<string | undefined> {
  if (!channel || !ts) return undefined;
  try {
    const { permalink } = await client.chat.getPermalink({ channel, message_ts: ts });
    return typeof permalink === 'string' ? permalink : undefined;
  } catch (error) {
    logger?.warn({ err: error, channel }, 'could not get a permalink');
    return undefined;
  }
}

/** Permalinks to the messages of these items, by item id, asked of Slack in parallel; unlinkable ones left out. */
export async function permalinksOf(
  client: WebClient,
  items: readonly Linkable[],
): Promise<Map<number, string>> {
  const links = new Map<number, string>();
  await Promise.all(
    items.map(async (item) => {
      const link = await permalinkOf(client, item.postChannelId, item.postTs);
      if (link) links.set(item.id, link);
    }),
  );
  return links;
}
