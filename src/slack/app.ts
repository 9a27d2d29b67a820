import type { Server } from 'node:http';
import { App, HTTPReceiver, type Receiver, SocketModeReceiver } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Logger } from 'pino';
import type { AppEnv } from '../config/env.js';
import { boltLoggerAdapter } from '../logger.js';
import { createBotAuthorize } from './bot-identity.js';
import { createProcessEventErrorHandler, logListenerFailure, postToResponseUrl } from './error-path.js';
import { gateSlackRequests } from './request-gate.js';
import { answerUnhandledRequests } from './unhandled-requests.js';

export type SlackAppOptions = {
  env: Pick<AppEnv, 'botToken' | 'signingSecret' | 'appToken' | 'slackApiUrl' | 'mode'>;
  logger: Logger;
  /** GET /healthz answer: 200 when healthy, 503 otherwise. */
  health: () => { ok: boolean; details: Record<string, unknown> };
  /** How long one Web API call may take before it is abandoned (default 10 s; tests shorten it). */
  timeoutMs?: number;
};

export type SlackApp = {
  app: App;
  /** The bot's Web API client, for work outside a request (the outbox). */
  client: WebClient;
  receiver: Receiver;
  /** Socket Mode: whether the WebSocket to Slack is open; undefined in HTTP mode. */
  socketConnected(): boolean | undefined;
  start(port: number): Promise<number | undefined>;
  stop(): Promise<void>;
};

/**
 * The Bolt app and its receiver: HTTP (signed requests at POST /slack/events, GET /healthz) or Socket Mode
 * when an app-level token is set. The Web API client never retries on its own and throws on rate limits:
 * interactive calls must fail fast (trigger ids expire in 3 s), and the outbox owns every retry.
 */
export function createSlackApp({ env, logger, health, timeoutMs }: SlackAppOptions): SlackApp {
  const boltLogger = boltLoggerAdapter(logger);
  const processEventErrorHandler = createProcessEventErrorHandler(logger);
  const healthRoute = {
    path: '/healthz',
    method: ['GET'],
    handler: (
      _req: unknown,
      res: { writeHead(s: number, h: Record<string, string>): void; end(b: string): void },
    ) => {
      const h = health();
      res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' });
      // details may say `"status": "degraded"` (up, with reasons); it overrides the default.
      res.end(JSON.stringify({ status: h.ok ? 'ok' : 'unhealthy', ...h.details }));
    },
  };

  let httpReceiver: HTTPReceiver | undefined;
  let socketReceiver: SocketModeReceiver | undefined;
  let receiver: Receiver;
  if (env.mode === 'socket' && env.appToken) {
    socketReceiver = new SocketModeReceiver({
      appToken: env.appToken,
      logger: boltLogger,
      customRoutes: [healthRoute],
      processEventErrorHandler: async ({ error }) => {
        logListenerFailure(logger.child({ module: 'error-path' }), error, { mode: 'socket' });
        return false;
      },
    });
    receiver = socketReceiver;
  } else {
    httpReceiver = new HTTPReceiver({
      signingSecret: env.signingSecret ?? '',
      endpoints: '/slack/events',
      logger: boltLogger,
      customRoutes: [healthRoute],
      processEventErrorHandler: processEventErrorHandler as never,
    });
    receiver = httpReceiver;
  }

  const clientOptions: WebClientOptions = {
    ...(env.slackApiUrl ? { slackApiUrl: env.slackApiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs ?? 10_000,
    logger: boltLogger,
  };
  const client = new WebClient(env.botToken, clientOptions);
  const identity = createBotAuthorize(client, env.botToken, logger.child({ module: 'auth' }));
  if (httpReceiver) {
    httpReceiver.requestListener = gateSlackRequests(httpReceiver.requestListener, {
      signingSecret: env.signingSecret ?? '',
      logger,
      installedTeamId: identity.knownTeamId,
      postToResponseUrl,
    });
  }
  const app = new App({
    authorize: identity.authorize,
    receiver,
    logger: boltLogger,
    extendedErrorHandler: true,
    clientOptions,
  });
  answerUnhandledRequests(app, logger);

  // Bolt's ExtendedErrorHandler type is not exported from its index; these are the fields it passes.
  type ErrorArgs = { error: Error; context?: { teamId?: string }; body?: unknown };
  const logAndRethrow = async ({ error, context, body }: ErrorArgs): Promise<void> => {
    const b = (body ?? {}) as { type?: string; command?: string; user_id?: string; user?: { id?: string } };
    logListenerFailure(logger.child({ module: 'listener' }), error, {
      team: context?.teamId,
      user: b.user_id ?? b.user?.id,
      request: b.command ?? b.type,
    });
    throw error;
  };
  app.error(logAndRethrow as Parameters<App['error']>[0]);

  return {
    app,
    client,
    receiver,
    socketConnected: () =>
      socketReceiver ? (socketReceiver.client.websocket?.isActive() ?? false) : undefined,
    async start(port) {
      void identity.warmUp();
      if (httpReceiver) {
        const server = (await app.start(port)) as Server;
        const address = server.address();
        return typeof address === 'object' && address ? address.port : port;
      }
      await app.start();
      return undefined;
    },
    async stop() {
      await app.stop();
    },
  };
}
