import type { ChatPostMessageArguments, WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { type DeliveryMark, deliveryMetadata, findPosted } from './find-posted.js';
import { slackErrorCode } from './slack-errors.js';

/**
 * What a delivery handler calls to post: `chat.postMessage`, effectively once per outbox message and step.
 * `covers`: when one post delivers several messages (a combined delivery), their outbox ids; by default the
 * message being delivered.
 */
export type PostMessage = (
  args: ChatPostMessageArguments,
  covers?: readonly number[],
) => Promise<{ channel: string; ts: string }>;

export type PosterState = {
  /** Whether any post of this attempt reached Slack (then its outcome is not "nothing happened"). */
  posted: boolean;
};

/**
 * The poster for one attempt of one outbox message. Each post carries the outbox id and its step (the n-th
 * post of the handler) in its metadata. When an earlier attempt's outcome is unknown (`uncertainSince`), each
 * post first looks for itself in Slack and adopts the message found instead of posting it twice.
 */
export function createPoster(
  client: WebClient,
  options: { outboxId: number; uncertainSince: number | undefined; logger: Pick<Logger, 'info'> },
): { post: PostMessage; state: PosterState } {
  const state: PosterState = { posted: false };
  let step = 0;
  const post: PostMessage = async (args, covers) => {
    const mark: DeliveryMark = { outboxId: options.outboxId, step: step++, covers };
    if (options.uncertainSince !== undefined) {
      const target = { channel: args.channel, threadTs: args.thread_ts };
      const found = await findPosted(client, target, mark, options.uncertainSince);
      if (found) {
        options.logger.info({ channel: found.channel, ts: found.ts }, 'already in Slack; adopting it');
        state.posted = true;
        return found;
      }
    }
    const posted = await postMessage(client, { ...args, metadata: deliveryMetadata(mark) }, options.logger);
    state.posted = true;
    return posted;
  };
  return { post, state };
}

/**
 * chat.postMessage that recovers from `not_in_channel` by joining the (public) channel once and posting
 * again. Private channels cannot be joined: that error goes back to the outbox, which parks the message and
 * tells the admins what to do (invite the app).
 */
export async function postMessage(
  client: WebClient,
  args: ChatPostMessageArguments,
  logger: Pick<Logger, 'info'>,
): Promise<{ channel: string; ts: string }> {
  try {
    return requirePosted(await client.chat.postMessage(args));
  } catch (error) {
    if (slackErrorCode(error) !== 'not_in_channel') throw error;
    logger.info({ channel: args.channel }, 'not in the channel yet; joining it');
    try {
      await client.conversations.join({ channel: args.channel });
    } catch (joinError) {
      // A private channel cannot be joined: the problem to report is still that we are not in it.
      if (slackErrorCode(joinError) === undefined) throw joinError;
      throw error;
    }
    return requirePosted(await client.chat.postMessage(args));
  }
}

function requirePosted(result: { channel?: string; ts?: string }): { channel: string; ts: string } {
  if (!result.channel || !result.ts) throw new Error('chat.postMessage answered without channel or ts');
  return { channel: result.channel, ts: result.ts };
}
