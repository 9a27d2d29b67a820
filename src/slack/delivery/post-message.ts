import type { ChatPostMessageArguments, WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { slackErrorCode } from './slack-errors.js';

/**
 * chat.postMessage that recovers from `not_in_channel` by joining the (public) channel once and posting
 * again. Private channels cannot be joined: that error goes back to the outbox, which parks the message and
 * logs what the admin must do (invite the app).
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
