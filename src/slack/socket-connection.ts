import type { SocketModeReceiver } from '@slack/bolt';
import type { Logger } from 'pino';

type SocketClient = SocketModeReceiver['client'];

export type ReconnectPolicy = {
  /** First wait after a failed attempt; doubled after each further failure. Default 1 s. */
  baseMs: number;
  /** Longest wait between attempts. Default 60 s. */
  maxMs: number;
};

export const DEFAULT_RECONNECT: ReconnectPolicy = { baseMs: 1000, maxMs: 60_000 };

export type SocketConnection = {
  /** True between Slack's `hello` and the socket closing. */
  connected(): boolean;
  /** Connect in the background (retrying with backoff) and reconnect whenever the socket drops. */
  start(): void;
  /** Stop retrying and close the socket. */
  stop(): Promise<void>;
};

type ApiError = { code?: string; data?: { error?: string }; original?: { cause?: { code?: string } } };

/** The Web API errors that no retry fixes: the app-level token is wrong or the app was removed. */
const TOKEN_ERRORS = new Set(['not_authed', 'invalid_auth', 'account_inactive', 'not_allowed_token_type']);

/** What went wrong opening the socket, and what an operator can do about it. */
export function describeConnectFailure(error: unknown, apiUrl: string): { reason: string; hint: string } {
  const e = (error ?? {}) as ApiError;
  const url = `${apiUrl}apps.connections.open`;
  const slackError = e.code === 'slack_webapi_platform_error' ? e.data?.error : undefined;
  if (slackError && TOKEN_ERRORS.has(slackError)) {
    return {
      reason: `Slack refused the app-level token (${slackError}) at ${url}`,
      hint: 'set SLACK_APP_TOKEN to an app-level token (xapp-) with the connections:write scope, from Basic Information > App-Level Tokens, then restart',
    };
  }
  if (slackError) {
    return {
      reason: `Slack answered ${slackError} at ${url}`,
      hint: 'check that Socket Mode is enabled for the app (Settings > Socket Mode, or socket_mode_enabled: true in the manifest)',
    };
  }
  if (e.code === 'slack_webapi_request_error') {
    const cause = e.original?.cause?.code;
    return {
      reason: `cannot reach Slack at ${url}${cause ? ` (${cause})` : ''}`,
      hint: 'check DNS, the firewall or proxy: the app needs outbound HTTPS to slack.com and WebSocket (wss) to wss-primary.slack.com; SLACK_API_URL changes the address',
    };
  }
  return {
    reason: `the Socket Mode connection failed at ${url}: ${error instanceof Error ? error.message : String(error)}`,
    hint: 'Slack may be having trouble (https://slack-status.com); the app keeps retrying',
  };
}

/**
 * Owns the Socket Mode connection instead of the client's own reconnect (which, when Slack is unreachable,
 * retries `apps.connections.open` a hundred times logging only "fetch failed", and then leaves an unhandled
 * rejection). Each failure logs once with the URL and a hint; attempts back off exponentially up to `maxMs`.
 * The client must be built with `autoReconnectEnabled: false`.
 */
export function superviseSocket(options: {
  client: SocketClient;
  apiUrl: string;
  logger: Logger;
  policy?: ReconnectPolicy;
}): SocketConnection {
  const { client, apiUrl, logger } = options;
  const policy = options.policy ?? DEFAULT_RECONNECT;
  let isConnected = false;
  let stopping = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function connectUntilConnected(): Promise<void> {
    for (let attempt = 1; !stopping; attempt += 1) {
      try {
        await client.start();
        if (stopping) await client.disconnect();
        return;
      } catch (error) {
        if (stopping) return;
        const retryInMs = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
        const { reason, hint } = describeConnectFailure(error, apiUrl);
        logger.error({ attempt, retryInMs, hint }, `Socket Mode not connected: ${reason}`);
        await pause(retryInMs);
      }
    }
  }

  const reconnect = () => {
    if (stopping || loop) return;
    loop = connectUntilConnected().finally(() => {
      loop = undefined;
    });
  };

  client.on('connected', () => {
    isConnected = true;
    logger.info('connected to Slack (Socket Mode)');
  });
  client.on('disconnected', () => {
    const was = isConnected;
    isConnected = false;
    if (stopping) return;
    if (was) logger.warn('Socket Mode connection closed; reconnecting');
    reconnect();
  });

  return {
    connected: () => isConnected,
    start: reconnect,
    async stop() {
      stopping = true;
      wake?.();
      await client.disconnect();
      // An attempt waiting on apps.connections.open (up to the client's timeout) is not awaited past a moment.
      if (loop) await Promise.race([loop, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      isConnected = false;
    },
  };
}
