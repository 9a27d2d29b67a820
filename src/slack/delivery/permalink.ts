import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';

/**
 * A message's permalink (`chat.getPermalink`), or undefined when there is no message or Slack cannot say: a link
 * is a convenience, and what carries it still goes out without it.
 */
export async function permalinkOf(
  client: WebClient,
  channel: string | undefined,
  ts: string | undefined,
  logger: Logger,
): Promise<string | undefined> {
  if (!channel || !ts) return undefined;
  try {
    return (await client.chat.getPermalink({ channel, message_ts: ts })).permalink;
  } catch (error) {
    logger.warn({ err: error, channel }, 'could not get a permalink');
    return undefined;
  }
}
