import type { Logger } from 'pino';
import { type Clock, systemClock } from './clock.js';
import type { AppEnv } from './config/env.js';
import { createOrgConfigStore, type OrgConfigStore } from './config/org.js';
import { createFeedbackDeliveryHandlers } from './feedback/delivery-handlers.js';
import { escalateOverdue } from './feedback/escalation.js';
import { createLifecycleService } from './feedback/lifecycle.js';
import { countFeedbackItems } from './feedback/repo.js';
import { createFeedbackService } from './feedback/service.js';
import { createIntervalJob, type IntervalJob } from './jobs/interval-job.js';
import { registerListeners } from './listeners.js';
import { createSlackApp } from './slack/app.js';
import { createDelivery, type Delivery, type DeliveryOptions } from './slack/delivery/delivery.js';
import { createSlackDirectory } from './slack/directory.js';
import { type Db, openDatabase } from './store/db.js';
import { migrate } from './store/migrate.js';
import { migrations } from './store/migrations/index.js';

export type CourtesyLoopOptions = {
  env: AppEnv;
  logger: Logger;
  clock?: Clock;
  /** Tests shorten retry delays; production uses the defaults. */
  delivery?: Pick<DeliveryOptions, 'retryBaseMs' | 'maxDelayMs' | 'maxAttempts' | 'pollMs' | 'concurrency'>;
  /** Scheduled jobs: how often the SLA check runs (default every minute); tests turn the timers off. */
  jobs?: { slaEveryMs?: number; autoStart?: boolean };
};

export type CourtesyLoop = {
  db: Db;
  config: OrgConfigStore;
  delivery: Delivery;
  /** Scheduled jobs; tests call `runOnce(now)` with an injected time. */
  jobs: { sla: IntervalJob };
  /** Start receiving and delivering; returns the HTTP port (undefined in Socket Mode). */
  start(): Promise<number | undefined>;
  /** Stop receiving, give deliveries under way a moment to finish, close the database. */
  stop(drainMs?: number): Promise<void>;
};

/** Composition: config -> db + migrations -> services -> Bolt app -> delivery. Everything passed explicitly. */
export function createCourtesyLoop(options: CourtesyLoopOptions): CourtesyLoop {
  const { env, logger } = options;
  const clock = options.clock ?? systemClock;
  const config = createOrgConfigStore({
    path: env.orgConfigPath,
    logger: logger.child({ module: 'config' }),
  });
  const db = openDatabase(env.databasePath);
  migrate(db, migrations, logger.child({ module: 'migrate' }));

  let healthy = true;
  const slack = createSlackApp({
    env,
    logger,
    health: () => ({ ok: healthy, details: { outbox: delivery.counts() } }),
  });
  const delivery = createDelivery({
    db,
    client: slack.app.client,
    clock,
    logger,
    handlers: { ...createFeedbackDeliveryHandlers({ config: config.current }) },
    ...options.delivery,
  });
  const feedback = createFeedbackService({
    db,
    clock,
    config: config.current,
    logger: logger.child({ module: 'feedback' }),
  });

  const directory = createSlackDirectory({ client: slack.app.client, clock });
  const lifecycle = createLifecycleService({
    db,
    clock,
    config: config.current,
    logger: logger.child({ module: 'lifecycle' }),
    groupMembers: (id) => directory.usergroupMembers(id),
  });
  const slaJob = createIntervalJob({
    name: 'sla-escalation',
    everyMs: options.jobs?.slaEveryMs ?? 60_000,
    clock,
    logger,
    run: (now) => {
      if (escalateOverdue({ db, config: config.current, logger: logger.child({ module: 'sla' }) }, now) > 0) {
        delivery.kick();
      }
    },
  });

  registerListeners(slack.app, {
    feedback: {
      feedback,
      openItemsOf: (userId) => lifecycle.openItemsOf(userId),
      config: config.current,
      delivery,
      logger,
    },
    lifecycle: { lifecycle, config: config.current, delivery, logger },
    admin: {
      config: config.current,
      reloadConfig: () => config.reload(),
      status: () => ({
        departments: config.current().departments.length,
        feedbackItems: countFeedbackItems(db),
        outbox: delivery.counts(),
      }),
    },
  });

  let stopped = false;
  return {
    db,
    config,
    delivery,
    jobs: { sla: slaJob },
    async start() {
      const port = await slack.start(env.port);
      delivery.start();
      if (options.jobs?.autoStart ?? true) slaJob.start();
      logger.info({ port, mode: env.mode }, 'Courtesy Loop is running');
      return port;
    },
    async stop(drainMs = 5000) {
      if (stopped) return;
      stopped = true;
      healthy = false;
      slaJob.stop();
      await slack.stop().catch((err: unknown) => logger.warn({ err }, 'receiver did not stop cleanly'));
      await delivery.stop(drainMs);
      db.close();
      logger.info('Courtesy Loop stopped');
    },
  };
}
