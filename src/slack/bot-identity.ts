import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { rememberWorkspaceUrl } from './workspace-url.js';

export type BotIdentity = { botToken: string; botId?: string; botUserId?: string; teamId?: string };

/**
 * Bolt's authorize for a single-workspace bot token, with the bot's ids from auth.test cached once known.
 *
 * Bolt's own single-token mode calls auth.test in its constructor and caches that promise: if Slack is
 * unreachable at boot the rejection is unhandled (and Node exits), and every later request fails until a
 * restart. Here auth.test is retried on the next request after a failure, and meanwhile requests are still
 * answered with the token alone, so acks keep flowing while Slack's Web API recovers.
 */
export function createBotAuthorize(
  client: WebClient,
  botToken: string,
  logger: Pick<Logger, 'warn' | 'info'>,
  waitMs = 500,
) {
  let known: BotIdentity | undefined;
  let pending: Promise<BotIdentity | undefined> | undefined;

  const lookup = (): Promise<BotIdentity | undefined> => {
    pending ??= client.auth
      .test()
      .then((r) => {
        rememberWorkspaceUrl(client, r);
        known = {
          botToken,
          ...(r.bot_id ? { botId: r.bot_id } : {}),
          ...(r.user_id ? { botUserId: r.user_id } : {}),
          ...(r.team_id ? { teamId: r.team_id } : {}),
        };
        logger.info(
          { botUserId: known.botUserId, teamId: known.teamId },
          'bot identity confirmed with auth.test',
        );
        return known;
      })
      .catch((error: unknown) => {
        logger.warn(
          { err: error },
          'auth.test failed; answering with the token alone and retrying on the next request',
        );
        return undefined;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };

  return {
    /**
     * For Bolt's `authorize` option. Never rejects, and never holds a request for long: while auth.test is
     * slow the request goes on with the token alone after `waitMs`, so Slack still gets its answer in 3 s.
     */
    authorize: async (): Promise<BotIdentity> => {
      if (known) return known;
      const waited = await Promise.race([
        lookup(),
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), waitMs).unref()),
      ]);
      return waited ?? { botToken };
    },
    /**
     * The workspace the token belongs to, once auth.test has answered (to refuse requests from any other).
     * It does not ask Slack itself: `authorize` and `warmUp` do, and asking twice per request while Slack
     * is down would double the calls.
     */
    knownTeamId: (): string | undefined => known?.teamId,
    /** Look the identity up now (at start), without waiting for the first request. */
    warmUp: (): Promise<unknown> => lookup(),
  };
}
