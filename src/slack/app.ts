import type { Server } from 'node:http';
import { App, HTTPReceiver, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { WebClient, WebClientOptions } from '@slack/web-api';
import type { Logger } from 'pino';
import type { AppEnv } from '../config/env.js';
import { boltLoggerAdapter } from '../logger.js';
import { createBotAuthorize } from './bot-identity.js';
import { EncodedArgsWebClient } from './encoded-args-client.js';
import { createProcessEventErrorHandler, logListenerFailure, postToResponseUrl } from './error-path.js';
import { answerHealth, createHealthServer, type HealthCheck, type HealthServer } from './health.js';
import { gateSlackRequests } from './request-gate.js';
import { type RequestCounter, type RequestTracker, trackRequests } from './request-tracker.js';
import { createSlackFetch } from './slack-fetch.js';
import { type ReconnectPolicy, type SocketConnection, superviseSocket } from './socket-connection.js';
import { answerUnhandledRequests } from './unhandled-requests.js';
import type { WebPage } from './web-page.js';

type SlackEnv = Pick<AppEnv, 'botToken' | 'signingSecret' | 'appToken' | 'slackApiUrl' | 'mode'>;

export type SlackAppOptions = {
  env: SlackEnv;
  logger: Logger;
  /** The bot's Web API client (`createSlackClient`), shared with the outbox. */
  client: SlackClient;
  /**
   * GET /healthz answer: 200 when healthy, 503 otherwise. Given whether the Socket Mode connection is open
   * (undefined in HTTP mode); while it is not, the answer is 503 whatever this says.
   */
  health: (socketConnected: boolean | undefined) => ReturnType<HealthCheck>;
  /** Socket Mode reconnection backoff (tests shorten it). */
  reconnect?: ReconnectPolicy;
  /** Pages for people outside Slack (the customer survey), served on PORT in both modes. */
  pages?: readonly WebPage[];
  /** Where the requests under way are counted (made with the core, so background work can read it); default own. */
  requests?: RequestCounter;
  /** Called with each request's body before Bolt answers it (`Feature.beforeAnswer`). */
  beforeAnswer?: (body: unknown) => void | Promise<void>;
};

export type SlackClient = {
  client: WebClient;
  options: WebClientOptions;
  /** Close the client's kept-alive connections once its work is done (a call still under way fails). */
  close(): Promise<void>;
};

/**
 * The bot's Web API client. It never retries on its own and throws on rate limits: interactive calls must fail
 * fast (trigger ids expire in 3 s), and the outbox owns every retry. `timeoutMs`: how long one call may take,
 * from connecting to the end of Slack's answer, before it is abandoned (default 10 s; tests shorten it). Calls go through `createSlackFetch`, which enforces that timeout, so
 * WebClient's own (an `AbortSignal.timeout` per call) is off; their object arguments go as JSON text
 * (`EncodedArgsWebClient`).
 */
export function createSlackClient(env: SlackEnv, logger: Logger, timeoutMs = 10_000): SlackClient {
  const transport = createSlackFetch(timeoutMs);
  const options: WebClientOptions & Pick<Required<WebClientOptions>, 'fetch' | 'logger'> = {
    ...(env.slackApiUrl ? { slackApiUrl: env.slackApiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    fetch: transport.fetch,
    timeout: 0,
    logger: boltLoggerAdapter(logger),
  };
  return { client: new EncodedArgsWebClient(env.botToken, options), options, close: transport.close };
}

const SLACK_API_URL = 'https://slack.com/api/';

export type SlackApp = {
  app: App;
  receiver: Receiver;
  /** Requests Bolt is processing now (their listeners included), and a wait until there are none. */
  requests: RequestTracker;
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

type Socket = { connection: SocketConnection; healthServer: HealthServer };

/** Socket Mode: the receiver, its supervised connection, and `/healthz` on its own server (same PORT). */
function createSocketReceiver(
  { env, logger, client, health, reconnect, pages }: SlackAppOptions,
  appToken: string,
): { receiver: Receiver; socket: Socket } {
  const socketClientOptions: WebClientOptions = {
    ...client.options,
    logger: boltLoggerAdapter(errorsOnly(logger)),
  };
  const socketReceiver = new SocketModeReceiver({
    appToken,
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
    const connected = connection.connected();
    const h = health(connected);
    return { ok: h.ok && connected, details: { mode: 'socket', connected, ...h.details } };
  };
  return {
    receiver: socketReceiver,
    socket: { connection, healthServer: createHealthServer(socketHealth, pages) },
  };
}

/** HTTP: signed requests at POST /slack/events, GET /healthz, and the request gate in front of Bolt. */
function createHttpReceiver(
  { env, logger, health, pages = [] }: SlackAppOptions,
  knownTeamId: () => string | undefined,
): HTTPReceiver {
  const healthRoute = {
    path: '/healthz',
    method: ['GET'],
    handler: (_req: unknown, res: Parameters<typeof answerHealth>[0]) =>
      answerHealth(res, () => health(undefined)),
  };
  const receiver = new HTTPReceiver({
    signingSecret: env.signingSecret ?? '',
    // The request gate below checks every request to the endpoint first (signature, timestamp both ways) and
    // answers Slack's unsigned ssl_check itself: Bolt checking the same HMAC again cost a second one per request.
    signatureVerification: false,
    endpoints: '/slack/events',
    logger: boltLoggerAdapter(logger),
    customRoutes: [
      healthRoute,
      ...pages.map((page) => ({
        path: `${page.prefix}:token`,
        method: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
        handler: page.handle,
      })),
    ],
    processEventErrorHandler: createProcessEventErrorHandler(logger) as never,
  });
  receiver.requestListener = gateSlackRequests(receiver.requestListener, {
    signingSecret: env.signingSecret ?? '',
    logger,
    installedTeamId: knownTeamId,
    postToResponseUrl,
  });
  return receiver;
}

/** One error path: a listener's failure is logged with who and what, then Bolt answers as configured. */
function logListenerErrors(app: App, logger: Logger): void {
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
}

/**
 * The Bolt app and its receiver: HTTP (signed requests at POST /slack/events, GET /healthz) or Socket Mode
 * when an app-level token is set (GET /healthz on its own server, same PORT).
 */
export function createSlackApp(options: SlackAppOptions): SlackApp {
  const { env, logger, client } = options;
  const identity = createBotAuthorize(client.client, env.botToken, logger.child({ module: 'auth' }));
  let httpReceiver: HTTPReceiver | undefined;
  let socket: Socket | undefined;
  let receiver: Receiver;
  if (env.mode === 'socket' && env.appToken) {
    ({ receiver, socket } = createSocketReceiver(options, env.appToken));
  } else {
    httpReceiver = createHttpReceiver(options, identity.knownTeamId);
    receiver = httpReceiver;
  }
  const app = new App({
    authorize: identity.authorize,
    receiver,
    logger: boltLoggerAdapter(logger),
    extendedErrorHandler: true,
    clientOptions: client.options,
    // No listener keeps conversation state; Bolt's default in-memory store built and threw an Error per request.
    convoStore: false,
  });
  const requests = trackRequests(app, options.requests);
  answerUnhandledRequests(app, logger, options.beforeAnswer);
  logListenerErrors(app, logger);

  return {
    app,
    receiver,
    requests,
    async start(port) {
      void identity.warmUp();
      if (httpReceiver) {
        const server = (await app.start(port)) as Server;
        const address = server.address();
        return typeof address === 'object' && address ? address.port : port;
      }
      const healthPort = await (socket as Socket).healthServer.listen(port);
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
