import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { GroupMembers } from './config/membership.js';
import type { OrgConfig } from './config/org-schema.js';
import type { ScheduledTaskDef } from './jobs/scheduler.js';
import type { DeliveryHandler } from './slack/delivery/delivery.js';
import type { SlackDirectory } from './slack/directory.js';
import type { NameOf } from './slack/form-errors.js';
import type { ListenerRegistry } from './slack/listener-router.js';
import type { Db } from './store/db.js';

/**
 * What every feature room is built from: the shared core the composition root (`courtesy-loop.ts`) makes once.
 * See ARCHITECTURE.md for the rooms and what each may import.
 */
export type AppCore = {
  db: Db;
  clock: Clock;
  /** The current org config (a reload applies at the next read). */
  config: () => OrgConfig;
  logger: Logger;
  /** People and user groups, looked up in Slack and cached. */
  directory: SlackDirectory;
  /** A person's name for form errors (Slack shows mentions there as raw ids). */
  nameOf: NameOf;
  /** Something was committed to the outbox: wake the delivery loop now rather than at its next poll. */
  outboxQueued(): void;
  /** Slack requests being answered now: background work waits while there are any (a person is waiting). */
  requestsInFlight(): number;
};

/** What a room's services take from the core: the database, the clock, the config and the logger. */
export type ServiceDeps = Pick<AppCore, 'db' | 'clock' | 'config' | 'logger'>;

/** Services that ask who is in a Slack user group (team membership) take this too. */
export type GroupServiceDeps = ServiceDeps & { groupMembers: GroupMembers };

/** A room's service dependencies from the core, with a child logger for the room when it names one. */
export function groupServiceDeps(core: AppCore, module?: string): GroupServiceDeps {
  return {
    db: core.db,
    clock: core.clock,
    config: core.config,
    logger: module ? core.logger.child({ module }) : core.logger,
    groupMembers: core.directory.usergroupMembers,
  };
}

/** What the app needs from one feature room. */
export type Feature = {
  /** Registers the room's listeners (commands, actions, views, shortcuts, events) on the app's listener router. */
  listeners?: (app: ListenerRegistry) => void;
  /** The handlers of the outbox kinds the room declares (its `outbox.ts`), from `outboxHandlers`. */
  deliveryHandlers?: Record<string, DeliveryHandler>;
  /** Work the minute tick runs (reminders, digests, SLA escalations, clean-ups). */
  tasks?: ScheduledTaskDef[];
  /**
   * Called with each request's body before Slack is answered (Bolt answers events before their listener runs):
   * store what must outlive the answer. A throw answers Slack with an error, so Slack sends it again.
   */
  beforeAnswer?: (body: unknown) => void | Promise<void>;
};

/** A scheduled task that queues outbox messages: when it queued any, the delivery loop wakes at once. */
export function queuingTask(
  core: Pick<AppCore, 'outboxQueued'>,
  name: string,
  run: (now: number) => { queued: readonly unknown[] } | number | Promise<number>,
): ScheduledTaskDef {
  return {
    name,
    run: async (now) => {
      const result = await run(now);
      if (typeof result === 'number' ? result > 0 : result.queued.length > 0) core.outboxQueued();
      return result;
    },
  };
}
