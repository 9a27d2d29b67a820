import type { Logger } from 'pino';
import { createAdminFeature } from './admin/feature.js';
import type { AppCore, Feature } from './app-core.js';
import { type Clock, systemClock } from './clock.js';
import { createConfigNames } from './config/config-names.js';
import type { AppEnv } from './config/env.js';
import { createOrgConfigStore, type OrgConfigResult, type OrgConfigStore } from './config/org.js';
import { surveySecretProblem } from './config/survey-secret.js';
import { createDigestFeature } from './digest/feature.js';
import { createFeedbackFeature } from './feedback/feature.js';
import { checkHealth } from './health.js';
import { createHomeFeature } from './home/feature.js';
import { createScheduler, type Scheduler } from './jobs/scheduler.js';
import { createKudosFeature } from './kudos/feature.js';
import { createLoopsFeature } from './loops/feature.js';
import { createObservability, type Observability } from './observability/observability.js';
import { createOutcomesFeature } from './outcomes/feature.js';
import { createRetentionFeature } from './retention/feature.js';
import { createSignal } from './signal.js';
import { createSlackApp, createSlackClient } from './slack/app.js';
import { createDelivery, type Delivery, type DeliveryOptions } from './slack/delivery/delivery.js';
import { deliverySettings } from './slack/delivery/delivery-status.js';
import { createSlackDirectory, type SlackDirectory } from './slack/directory.js';
import { createListenerRouter, type ListenerRegistry } from './slack/listener-router.js';
import { createSlackNames } from './slack/name-lookup.js';
import { createRequestCounter } from './slack/request-tracker.js';
import type { ReconnectPolicy } from './slack/socket-connection.js';
import { createCheckpointer } from './store/checkpointer.js';
import { checkWritable, type Db, openDatabase } from './store/db.js';
import { explainStartupFailure } from './store/db-faults.js';
import { migrate } from './store/migrate.js';
import { migrations } from './store/migrations/index.js';
import { createStrategyFeature } from './strategy/feature.js';
import { createSurveyFeature } from './survey/feature.js';
import { createThemesFeature } from './themes/feature.js';
import { createThemeReadFeature } from './themes/read-feature.js';

export type CourtesyLoopOptions = {
  env: AppEnv;
  logger: Logger;
  clock?: Clock;
  /** How the database file is opened (tests open it read-only); default `openDatabase`. */
  openDb?: (path: string) => Db;
  /** Tests shorten retry delays; production uses the defaults. */
  delivery?: Pick<
    DeliveryOptions,
    'retryBaseMs' | 'maxDelayMs' | 'pollMs' | 'concurrency' | 'circuit' | 'tokenRetryMs'
  >;
  /** How long one Slack call may take (default 10 s); fault tests shorten it. */
  slackTimeoutMs?: number;
  /** Socket Mode reconnection backoff; tests shorten it. */
  reconnect?: ReconnectPolicy;
};

export type CourtesyLoop = {
  db: Db;
  config: OrgConfigStore;
  delivery: Delivery;
  directory: SlackDirectory;
  /** Look the config's names up in Slack again, then re-read the file (admin command, SIGHUP). */
  reloadConfig(): Promise<OrgConfigResult>;
  /** /metrics (with METRICS_PORT): its port once started. */
  observability: Pick<Observability, 'port'>;
  /** Run the scheduled jobs now, at the injected clock's time (tests; production ticks every minute). */
  scheduler: Pick<Scheduler, 'tick'>;
  /** Every listener of every feature, registered on a listener router (the manifest test records them). */
  registerListeners(target: ListenerRegistry): void;
  /**
   * Resolves when nothing is left to do: no Slack request being handled, and nothing due in the outbox
   * (delivered, or waiting for a retry). A caller that sent an event knows it was handled, even if it changed nothing.
   */
  idle(): Promise<void>;
  /** Start receiving and delivering; returns the HTTP port (`/healthz`, and `/slack/events` in HTTP mode). */
  start(): Promise<number>;
  /** Stop receiving, give listeners and deliveries under way a moment to finish, close the database. */
  stop(drainMs?: number): Promise<void>;
};

/** Open, migrate and check the database can be written, or say what is wrong with the file and exit. */
function openUsableDatabase(path: string, open: (path: string) => Db, logger: Logger): Db {
  let db: Db | undefined;
  try {
    db = open(path);
    migrate(db, migrations, logger.child({ module: 'migrate' }));
    checkWritable(db);
    return db;
  } catch (error) {
    db?.close();
    return explainStartupFailure(path, error);
  }
}

/** The org config and the Slack names in it; a config that cannot be loaded closes the database first. */
function loadOrgConfig(db: Db, env: AppEnv, logger: Logger, names: ReturnType<typeof createSlackNames>) {
  try {
    const config = createOrgConfigStore({
      path: env.orgConfigPath,
      logger: logger.child({ module: 'config' }),
      names: names.answer,
    });
    return { config, configNames: createConfigNames({ path: env.orgConfigPath, config, names }) };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The shared core every room is built from: database, Slack client, org config, directory, outbox signal. */
function createCore(options: CourtesyLoopOptions) {
  const { env, logger } = options;
  const clock = options.clock ?? systemClock;
  const db = openUsableDatabase(env.databasePath, options.openDb ?? openDatabase, logger);
  const slackClient = createSlackClient(env, logger, options.slackTimeoutMs);
  const { client } = slackClient;
  const names = createSlackNames({ db, client, clock, logger: logger.child({ module: 'names' }) });
  const { config, configNames } = loadOrgConfig(db, env, logger, names);
  const surveyProblem = surveySecretProblem(config.current(), env.surveySecret);
  if (surveyProblem) {
    db.close();
    throw new Error(surveyProblem);
  }
  const directory = createSlackDirectory({ client, clock });
  config.onChange(() => directory.clear());
  const queued = createSignal();
  const requests = createRequestCounter();
  const core: AppCore = {
    db,
    clock,
    config: config.current,
    logger,
    directory,
    nameOf: async (userId) => (await directory.user(userId)).name,
    outboxQueued: queued.notify,
    requestsInFlight: requests.inFlight,
  };
  return { core, slackClient, config, configNames, queued, requests };
}

/**
 * The feature rooms, each given what it needs from the others (ARCHITECTURE.md): the order only matters where
 * one room hands another a function.
 */
function createRooms(core: AppCore, env: AppEnv) {
  const themes = createThemesFeature(core);
  const themeRead = createThemeReadFeature(core);
  const survey = createSurveyFeature(core, { secret: env.surveySecret });
  const loops = createLoopsFeature(core);
  const feedback = createFeedbackFeature(core, {
    themer: themes.themer,
    themesAnswer: themeRead.themesAnswer,
    resolvedDmBlocks: survey.resolvedDmBlocks,
    onFiled: loops.onFeedbackFiled,
  });
  const kudos = createKudosFeature(core);
  const strategy = createStrategyFeature(core);
  const digest = createDigestFeature(core);
  const home = createHomeFeature(core, { teamStrategy: strategy.teamStrategy });
  const retention = createRetentionFeature(core, {
    onErased: () => {
      feedback.forgetRecentWords();
      themes.afterErasure();
    },
  });
  const outcomes = createOutcomesFeature(core, { submit: feedback.submit });
  const rooms: Feature[] = [
    feedback,
    kudos,
    strategy,
    digest,
    home,
    retention,
    themes,
    themeRead,
    survey,
    outcomes,
    loops,
  ];

  return { rooms, strategy, digest, retention, themes, themeRead, survey };
}

/**
 * Composition: the shared core (database, Slack client, config, directory), then the feature rooms, then the
 * delivery engine with their outbox handlers, the Bolt app with their listeners and the scheduler with their
 * tasks. Everything passed explicitly; ARCHITECTURE.md describes the rooms.
 */
export function createCourtesyLoop(options: CourtesyLoopOptions): CourtesyLoop {
  const { env, logger } = options;
  const { core, slackClient, config, configNames, queued, requests } = createCore(options);
  const { db, clock, directory } = core;
  const { client } = slackClient;

  const { rooms, strategy, digest, retention, themes, themeRead, survey } = createRooms(core, env);

  const delivery = createDelivery({
    db,
    client,
    clock,
    logger,
    settings: () => deliverySettings(config.current()),
    admins: () => config.current().admins,
    handlers: Object.assign({}, ...rooms.map((room) => room.deliveryHandlers ?? {})),
    queued,
    requestsInFlight: requests.inFlight,
    ...options.delivery,
  });
  const admin = createAdminFeature(core, {
    delivery,
    reloadConfig: () => configNames.reload(),
    remind: strategy.remind,
    digestPreview: digest.preview,
    retention: retention.service,
    renameTheme: themes.rename,
    focus: themeRead.focus,
  });
  const features = [...rooms, admin];
  const scheduler = createScheduler({ clock, logger, tasks: features.flatMap((f) => f.tasks ?? []) });
  const registerListeners = (target: ListenerRegistry) => {
    for (const feature of features) feature.listeners?.(target);
  };

  const beforeAnswers = features.flatMap((f) => (f.beforeAnswer ? [f.beforeAnswer] : []));
  let stopping = false;
  const slack = createSlackApp({
    env,
    logger,
    client: slackClient,
    pages: [survey.page],
    requests,
    beforeAnswer: async (body) => {
      for (const before of beforeAnswers) await before(body);
    },
    health: (socketConnected) =>
      checkHealth({ db, delivery, stopping, socketConnected, lastTick: () => scheduler.lastTick() }),
    ...(options.reconnect ? { reconnect: options.reconnect } : {}),
  });
  // Counts every request (Bolt middleware), so it is in place before the listeners.
  const observability = createObservability({
    metricsPort: env.metricsPort,
    db,
    app: slack.app,
    logger: logger.child({ module: 'metrics' }),
  });
  // One Bolt listener per request type, dispatching by id; a duplicate id throws here, at start.
  const router = createListenerRouter();
  registerListeners(router);
  router.attach(slack.app);

  const checkpointer = createCheckpointer(db, { logger: logger.child({ module: 'checkpoints' }) });
  let stopped = false;
  return {
    db,
    config,
    delivery,
    directory,
    scheduler,
    observability,
    registerListeners,
    reloadConfig: () => configNames.reload(),
    async idle() {
      do {
        await slack.requests.idle();
        await delivery.drain();
      } while (slack.requests.inFlight() > 0);
    },
    async start() {
      await configNames.resolveNew();
      await observability.start();
      const port = await slack.start(env.port);
      delivery.start();
      scheduler.start();
      checkpointer.start();
      logger.info({ port, mode: env.mode }, 'Courtesy Loop is running');
      configNames.refreshInBackground();
      return port;
    },
    async stop(drainMs = 5000) {
      if (stopped) return;
      stopped = true;
      stopping = true;
      await slack.stop().catch((err: unknown) => logger.warn({ err }, 'receiver did not stop cleanly'));
      // Listeners still at work (Bolt acknowledged their events first) finish their writes before the
      // database closes, within the same drain time.
      const drained = await Promise.race([
        slack.requests.idle().then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), drainMs).unref()),
      ]);
      if (!drained)
        logger.warn(
          { inFlight: slack.requests.inFlight() },
          'stopping with Slack requests still in progress',
        );
      await scheduler.stop();
      await delivery.stop(drainMs);
      await slackClient.close();
      await observability.stop();
      await checkpointer.stop();
      db.close();
      logger.info('Courtesy Loop stopped');
    },
  };
}
