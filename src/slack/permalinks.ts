import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { builtPermalink, type MessagePlace } from './workspace-url.js';

/** Something posted in Slack that a message can link to (a feedback item's department message). */
export type Linkable = { id: number; postChannelId: string | undefined; postTs: string | undefined };

/** How many permalinks are remembered per client (the most recently used; about 150 bytes each). */
export const MAX_CACHED_PERMALINKS = 5000;

/**
 * Permalinks Slack gave, per client (workspace), by `channel:ts`: a message's permalink never changes, and the
 * same messages are linked again and again (a reaction storm on one announcement, the items in every digest
 * and Home). Kept like the statement cache, one per client, so nothing is shared between workspaces.
 */
const caches = new WeakMap<WebClient, Map<string, string>>();

function cacheOf(client: WebClient): Map<string, string> {
  let cache = caches.get(client);
  if (!cache) {
    cache = new Map();
    caches.set(client, cache);
  }
  return cache;
}

/**
 * A message's permalink (`chat.getPermalink`, Tier 4, asked once per message), or undefined when there is no
 * message or Slack cannot say: a link is a convenience, and what carries it still goes out without it (shown by
 * its reference alone). `place`: where the message is, when the caller knows it (a post the app made); the link
 * is then built without asking Slack once the workspace's URL is known (`workspace-url.ts`).
 */
export async function permalinkOf(
  client: WebClient,
  channel: string | undefined,
  ts: string | undefined,
  logger?: Logger,
  place?: MessagePlace,
): Promise<string | undefined> {
  if (!channel || !ts) return undefined;
  const built = place && builtPermalink(client, channel, ts, place);
  if (built) return built;
  const cache = cacheOf(client);
  const key = `${channel}:${ts}`;
  const known = cache.get(key);
  if (known !== undefined) {
    // Most recently used last, so the oldest is the one forgotten when the cache is full.
    cache.delete(key);
    cache.set(key, known);
    return known;
  }
  try {
    const { permalink } = await client.chat.getPermalink({ channel, message_ts: ts });
    if (typeof permalink !== 'string') return undefined;
    if (cache.size >= MAX_CACHED_PERMALINKS) cache.delete(cache.keys().next().value as string);
    cache.set(key, permalink);
    return permalink;
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
