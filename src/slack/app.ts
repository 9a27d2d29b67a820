import type { Server } from 'node:http';
import { App, HTTPReceiver, type Receiver, SocketModeReceiver } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Logger } from 'pino';
import type { AppEnv } from '../config/env.js';
import { boltLoggerAdapter } from '../logger.js';
import { createBotAuthorize } from './bot-identity.js';
import { createProcessEventErrorHandler, logListenerFailure, postToResponseUrl } from './error-path.js';
import { answerHealth, createHealthServer, type HealthCheck, type HealthServer } from './health.js';
import { gateSlackRequests } from './request-gate.js';
import { type ReconnectPolicy, type SocketConnection, superviseSocket } from './socket-connection.js';
import { answerUnhandledRequests } from './unhandled-requests.js';

export type SlackAppOptions = {
  env: Pick<AppEnv, 'botToken' | 'signingSecret' | 'appToken' | 'slackApiUrl' | 'mode'>;
  logger: Logger;
  /** GET /healthz answer: 200 when healthy, 503 otherwise (and in Socket Mode while not connected). */
  health: HealthCheck;
  /** Socket Mode reconnection backoff (tests shorten it). */
  reconnect?: ReconnectPolicy;
  /** How long one Web API call may take before it is abandoned (default 10 s; tests shorten it). */
  timeoutMs?: number;
};

const SLACK_API_URL = 'https://slack.com/api/';

export type SlackApp = {
  app: App;
  /** The bot's Web API client, for work outside a request (the outbox). */
  client: WebClient;
  receiver: Receiver;
  /** Start receiving; returns the port `/healthz` (and in HTTP mode `/slack/events`) listens on. */
  start(port: number): Promise<number>;
  /** Socket Mode: whether the socket is open now. HTTP mode: always true. */
  connected(): boolean;
  stop(): Promise<void>;
};

/** A child logger that keeps only errors (or stays silent if the parent is). */
function errorsOnly(logger: Logger): Logger {
  return logger.child({ module: 'socket-mode' }, { level: logger.levelVal >= 50 ? logger.level : 'error' });
}

/**
 * The Bolt app and its receiver: HTTP (signed requests at POST /slack/events, GET /healthz) or Socket Mode
 * when an app-level token is set (GET /healthz on its own server, same PORT). The Web API client never retries
 * on its own and throws on rate limits: interactive calls must fail fast (trigger ids expire in 3 s), and the
 * outbox owns every retry.
 */

export function createSlackApp({ env, logger, health, reconnect, timeoutMs }: SlackAppOptions): SlackApp {
  const boltLogger = boltLoggerAdapter(logger);
  const processEventErrorHandler = createProcessEventErrorHandler(logger);
  const clientOptions: WebClientOptions = {
    ...(env.slackApiUrl ? { slackApiUrl: env.slackApiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs ?? 10_000,
    logger: boltLogger,
  };

  let httpReceiver: HTTPReceiver | undefined;
  let socket: { connection: SocketConnection; healthServer: HealthServer } | undefined;
  let receiver: Receiver;
  if (env.mode === 'socket' && env.appToken) {
    const socketClientOptions: WebClientOptions = {
      ...clientOptions,
      logger: boltLoggerAdapter(errorsOnly(logger)),
    };
    const socketReceiver = new SocketModeReceiver({
      appToken: env.appToken,
      logger: boltLoggerAdapter(logger.child({ module: 'socket-mode' })),
      // The connection is supervised below (backoff, a clear error); /healthz is served on PORT below.
      autoReconnectEnabled: false,
      // apps.connections.open failures are reported once per attempt by the supervisor below, with the URL
      // and a hint; the Web API client's own "http request failed" warning would only repeat it.
      installerOptions: { clientOptions: socketClientOptions },
      processEventErrorHandler: async ({ error }) => {
        logListenerFailure(logger.child({ module: 'error-path' }), error, { mode: 'socket' });
        return false;
      },
    });
    const connection = superviseSocket({
      client: socketReceiver.client,
      apiUrl: env.slackApiUrl ?? SLACK_API_URL,
      logger: logger.child({ module: 'socket-mode' }),
      ...(reconnect ? { policy: reconnect } : {}),
    });
    const socketHealth: HealthCheck = () => {
      const h = health();
      const connected = connection.connected();
      return { ok: h.ok && connected, details: { mode: 'socket', connected, ...h.details } };
    };
    socket = { connection, healthServer: createHealthServer(socketHealth) };
    receiver = socketReceiver;
  } else {
    const healthRoute = {
      path: '/healthz',
      method: ['GET'],
      handler: (_req: unknown, res: Parameters<typeof answerHealth>[0]) => answerHealth(res, health),
    };
    httpReceiver = new HTTPReceiver({
      signingSecret: env.signingSecret ?? '',
      endpoints: '/slack/events',
      logger: boltLogger,
      customRoutes: [healthRoute],
      processEventErrorHandler: processEventErrorHandler as never,
    });
    receiver = httpReceiver;
  }
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
    async start(port) {
      void identity.warmUp();
      if (httpReceiver) {
        const server = (await app.start(port)) as Server;
        const address = server.address();
        return typeof address === 'object' && address ? address.port : port;
      }
      const healthPort = await (socket as NonNullable<typeof socket>).healthServer.listen(port);
      socket?.connection.start();
      return healthPort;
    },
    connected: () => socket?.connection.connected() ?? true,
    async stop() {
      if (!socket) {
        await app.stop();
        return;
      }
      await socket.connection.stop();
      await socket.healthServer.close();
    },
  };
}
