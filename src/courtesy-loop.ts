import type { Logger } from 'pino';
import { type Clock, systemClock } from './clock.js';
import { createConfigNames } from './config/config-names.js';
import type { AppEnv } from './config/env.js';
import {
  createOrgConfigStore,
  findDepartment,
  type OrgConfigResult,
  type OrgConfigStore,
} from './config/org.js';
import { createDigestDeliveryHandlers, digestTitle } from './digest/delivery-handlers.js';
import { digestBlocks, digestPreviewResponse, digestText, valueLabelsOf } from './digest/render.js';
import { createDigestService } from './digest/service.js';
import { createFeedbackDeliveryHandlers } from './feedback/delivery-handlers.js';
import { runSlaJob } from './feedback/escalation.js';
import { createLifecycleService } from './feedback/lifecycle.js';
import { countFeedbackItems } from './feedback/repo.js';
import { createFeedbackService } from './feedback/service.js';
import { checkHealth } from './health.js';
import { createHomeDeliveryHandlers } from './home/delivery-handlers.js';
import { createHomeService } from './home/service.js';
import { createScheduler, type Scheduler } from './jobs/scheduler.js';
import { createKudosDeliveryHandlers, createKudosRetryHandlers } from './kudos/delivery-handlers.js';
import { kudosPeople } from './kudos/people.js';
import { createKudosService } from './kudos/service.js';
import { registerListeners } from './listeners.js';
import { createObservability, type Observability } from './observability/observability.js';
import { createRetentionService } from './retention/service.js';
import { createSlackApp } from './slack/app.js';
import { createDelivery, type Delivery, type DeliveryOptions } from './slack/delivery/delivery.js';
import { deliverySettings, deliveryStatus } from './slack/delivery/delivery-status.js';
import { createSlackDirectory, type SlackDirectory } from './slack/directory.js';
import { createSlackNames } from './slack/name-lookup.js';
import type { ReconnectPolicy } from './slack/socket-connection.js';
import { checkWritable, type Db, openDatabase } from './store/db.js';
import { explainStartupFailure } from './store/db-faults.js';
import { migrate } from './store/migrate.js';
import { migrations } from './store/migrations/index.js';
import { reminderBlocks, reminderText } from './strategy/blocks.js';
import { createStrategyDeliveryHandlers } from './strategy/delivery-handlers.js';
import { createStrategyService } from './strategy/service.js';

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
  /** Start receiving and delivering; returns the HTTP port (`/healthz`, and `/slack/events` in HTTP mode). */
  start(): Promise<number>;
  /** Stop receiving, give deliveries under way a moment to finish, close the database. */
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

/** Composition: config -> db + migrations -> services -> Bolt app -> delivery. Everything passed explicitly. */
export function createCourtesyLoop(options: CourtesyLoopOptions): CourtesyLoop {
  const { env, logger } = options;
  const clock = options.clock ?? systemClock;
  const db = openUsableDatabase(env.databasePath, options.openDb ?? openDatabase, logger);

  let stopping = false;
  const slack = createSlackApp({
    env,
    logger,
    health: () =>
      checkHealth({
        db,
        delivery,
        stopping,
        socketConnected: () => slack.connected(),
        lastTick: () => scheduler.lastTick(),
      }),
    ...(options.slackTimeoutMs ? { timeoutMs: options.slackTimeoutMs } : {}),
    ...(options.reconnect ? { reconnect: options.reconnect } : {}),
  });
  const observability = createObservability({
    metricsPort: env.metricsPort,
    db,
    app: slack.app,
    logger: logger.child({ module: 'metrics' }),
  });
  const names = createSlackNames({
    db,
    client: slack.client,
    clock,
    logger: logger.child({ module: 'names' }),
  });
  let config: OrgConfigStore;
  try {
    config = createOrgConfigStore({
      path: env.orgConfigPath,
      logger: logger.child({ module: 'config' }),
      names: names.answer,
    });
  } catch (error) {
    db.close();
    throw error;
  }
  const configNames = createConfigNames({ path: env.orgConfigPath, config, names });
  const directory = createSlackDirectory({ client: slack.client, clock });
  const nameOf = async (userId: string) => (await directory.user(userId)).name;
  config.onChange(() => directory.clear());
  const strategy = createStrategyService({
    db,
    clock,
    config: config.current,
    logger,
    groupMembers: directory.usergroupMembers,
  });
  const kudos = createKudosService({
    db,
    clock,
    config: config.current,
    people: kudosPeople(directory),
    logger: logger.child({ module: 'kudos' }),
  });
  const digests = createDigestService({
    db,
    clock,
    config: config.current,
    logger,
    groupMembers: directory.usergroupMembers,
  });
  const home = createHomeService({
    db,
    clock,
    config: config.current,
    people: kudosPeople(directory),
    groupMembers: directory.usergroupMembers,
    teamStrategy: (d, p) => strategy.teamStrategy(d, p),
  });
  const slaLogger = logger.child({ module: 'sla' });
  const feedback = createFeedbackService({
    db,
    clock,
    config: config.current,
    logger: logger.child({ module: 'feedback' }),
  });
  const retention = createRetentionService({
    db,
    clock,
    config: config.current,
    logger,
    onErased: () => feedback.forgetRecentWords(),
  });
  const scheduler = createScheduler({
    clock,
    logger,
    tasks: [
      { name: 'team-reminders', run: (now) => queued(strategy.runDueReminders(now)) },
      { name: 'manager-digests', run: (now) => queued(digests.runDueDigests(now)) },
      {
        name: 'sla-escalation',
        run: async (now) => {
          if ((await runSlaJob({ db, config: config.current, logger: slaLogger }, now)) > 0) delivery.kick();
        },
      },
      { name: 'slack-event-ids-prune', run: (now) => kudos.pruneEventLog(now) },
      { name: 'customer-retention', run: (now) => retention.runDue(now) },
    ],
  });
  /** A tick that queued something wakes the delivery loop at once instead of at its next poll. */
  const queued = (result: { queued: string[] }) => {
    if (result.queued.length > 0) delivery.kick();
    return result;
  };
  const delivery = createDelivery({
    db,
    client: slack.client,
    clock,
    logger,
    settings: () => deliverySettings(config.current()),
    admins: () => config.current().admins,
    handlers: {
      ...createFeedbackDeliveryHandlers({ config: config.current }),
      ...createStrategyDeliveryHandlers({
        config: config.current,
        strategy: { teamStrategy: (d, p) => strategy.teamStrategy(d, p) },
      }),
      ...createKudosDeliveryHandlers({ config: config.current, people: kudosPeople(directory) }),
      ...createKudosRetryHandlers(kudos),
      ...createHomeDeliveryHandlers({ home }),
      ...createDigestDeliveryHandlers({ config: config.current, digests }),
    },
    ...options.delivery,
  });

  const lifecycle = createLifecycleService({
    db,
    clock,
    config: config.current,
    logger: logger.child({ module: 'lifecycle' }),
    groupMembers: directory.usergroupMembers,
  });

  registerListeners(slack.app, {
    feedback: {
      feedback,
      mine: (userId) => lifecycle.mine(userId),
      config: config.current,
      delivery,
      logger,
    },
    lifecycle: { lifecycle, config: config.current, delivery, logger, nameOf },
    admin: {
      config: config.current,
      reloadConfig: () => configNames.reload(),
      status: () => ({
        departments: config.current().departments.length,
        feedbackItems: countFeedbackItems(db),
        delivery: deliveryStatus(db, delivery),
      }),
      retry: () => delivery.retryParked(),
      retention,
      remind: (name, preview) => {
        const current = config.current();
        const department = findDepartment(current, name);
        if (!department) return { kind: 'no-department', name, valid: current.departments.map((d) => d.id) };
        if (preview) {
          const now = clock.now();
          const s = strategy.teamStrategy(department, strategy.nextPeriod(department, now));
          return { kind: 'preview', text: reminderText(s), blocks: reminderBlocks(s) };
        }
        strategy.remindNow(department.id);
        delivery.kick();
        return { kind: 'queued', department: department.name, channel: department.channel };
      },
      digest: async (userId) =>
        digestPreviewResponse(await digests.preview(userId), (digest) => {
          const title = `Your digest so far: ${digestTitle(digest).replace('Weekly digest: ', '')}`;
          return {
            text: digestText(digest, title),
            blocks: digestBlocks(digest, {
              title,
              chartUploaded: false,
              links: new Map(),
              valueLabels: valueLabelsOf(config.current()),
              note: 'compared with the same length of time just before',
            }),
          };
        }),
    },
    strategy: { strategy },
    kudos: { kudos, delivery, now: () => clock.now(), nameOf },
    install: { tokenRefused: (code) => delivery.tokenRefused(code) },
  });

  let stopped = false;
  return {
    db,
    config,
    delivery,
    directory,
    scheduler,
    observability,
    reloadConfig: () => configNames.reload(),
    async start() {
      await configNames.resolveNew();
      await observability.start();
      const port = await slack.start(env.port);
      delivery.start();
      scheduler.start();
      logger.info({ port, mode: env.mode }, 'Courtesy Loop is running');
      configNames.refreshInBackground();
      return port;
    },
    async stop(drainMs = 5000) {
      if (stopped) return;
      stopped = true;
      stopping = true;
      await slack.stop().catch((err: unknown) => logger.warn({ err }, 'receiver did not stop cleanly'));
      await scheduler.stop();
      await delivery.stop(drainMs);
      await observability.stop();
      db.close();
      logger.info('Courtesy Loop stopped');
    },
  };
}
