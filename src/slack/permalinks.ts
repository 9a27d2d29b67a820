import type { WebClient } from '@slack/web-api';

/** Something posted in Slack that a message can link to (a feedback item's department message). */
export type Linkable = { id: number; postChannelId: string | undefined; postTs: string | undefined };

/**
 * Permalinks to the messages of these items, by item id, asked of Slack in parallel (`chat.getPermalink`,
 * Tier 4). A link is a convenience: an item not posted yet, or one Slack cannot link to, is left out and shown
 * by its reference alone.
 */
export async function permalinksOf(
  client: WebClient,
  items: readonly Linkable[],
): Promise<Map<number, string>> {
  const where = new Map<number, { channel: string; ts: string }>();
  for (const item of items)
    if (item.postChannelId && item.postTs)
      where.set(item.id, { channel: item.postChannelId, ts: item.postTs });
  const links = new Map<number, string>();
  await Promise.all(
    [...where].map(async ([id, { channel, ts }]) => {
      try {
        const result = await client.chat.getPermalink({ channel, message_ts: ts });
        if (typeof result.permalink === 'string') links.set(id, result.permalink);
      } catch {
        // The reference alone still names the item.
      }
    }),
  );
  return links;
}
