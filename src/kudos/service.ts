import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { departmentsOfMember } from '../config/membership.js';
import type { KudosConfig, OrgConfig } from '../config/org-schema.js';
import { cancelPendingOutbox, enqueueOutbox } from '../slack/delivery/outbox-repo.js';
import type { Db } from '../store/db.js';
import { dayWindow } from '../time/local-time.js';
import {
  claimReactionEvent,
  findActiveKudosBySource,
  getKudos,
  giverDay,
  insertKudos,
  listActiveKudosForMessage,
  listNotifiedRecipients,
  pruneReactionEvents,
  pruneSlackEvents,
  type ReactionKey,
  recordSlackEvent,
  revokeKudos,
  setHomePeriod,
} from './repo.js';
import {
  checkAllowance,
  checkDraft,
  dailyAllowance,
  type KudosProblem,
  type LeaderboardPeriod,
} from './rules.js';
import type { Kudos, KudosSource } from './types.js';

/** Who people are (bots, time zones) and who is in a user group: the Slack directory in the app. */
export type KudosPeople = {
  user(userId: string): Promise<{ isBot: boolean; deleted: boolean; tz: string }>;
  usergroupMembers(usergroupId: string): Promise<ReadonlySet<string>>;
};

export type KudosDeps = {
  db: Db;
  clock: Clock;
  config: () => OrgConfig;
  people: KudosPeople;
  logger: Logger;
};

/** Where a refusal or confirmation for the giver goes: ephemeral in a channel, or (no channel) a DM. */
export type GiverNotice =
  | { giverId: string; channelId: string | undefined; kind: 'given'; kudosId: number }
  | { giverId: string; channelId: string | undefined; kind: 'refused'; problem: KudosProblem }
  | { giverId: string; channelId: string | undefined; kind: 'withdrawn'; kudosId: number };

export type GiveKudosRequest = {
  /** What makes this give unique: the command's trigger id, the modal's view id, or the reacted message. */
  sourceKey: string;
  /** Already known to be refused (a reaction on a message with no person as author): recorded and told. */
  problem?: KudosProblem;
  source: KudosSource;
  teamId: string;
  giverId: string;
  /** People named directly: naming yourself or a bot is refused. */
  userIds: string[];
  /** User groups named: expanded to their members, leaving out the giver and bots. */
  usergroupIds: string[];
  valueIds: string[];
  reason: string;
  originChannelId: string | undefined;
  sourceChannelId: string | undefined;
  sourceMessageTs: string | undefined;
  /** The thread's parent, when the source message is a reply (known from a shortcut, not from a reaction). */
  sourceThreadTs?: string | undefined;
  /** Events API: the event id, so a retried event is recognised. */
  eventId?: string | undefined;
  /** A reaction: given only if no later event for the same reaction (its removal) was seen. */
  reactionEvent?: { key: ReactionKey; eventTs: string } | undefined;
  /**
   * Tell the giver through the outbox (reactions and modals have no reply of their own): always when it is
   * given, and when it is refused if `refusals` (a modal shows refusals in the form instead).
   */
  notifyGiver?: { channelId: string | undefined; refusals: boolean } | undefined;
};

export type GiveKudosOutcome =
  | { ok: true; kudos: Kudos; duplicate: boolean; left: number; allowance: number; resetsAt: number }
  | { ok: false; problem: KudosProblem; duplicate: boolean };

export type KudosService = {
  /** The kudos settings, or undefined when the org config has none (kudos are off). */
  settings(): KudosConfig | undefined;
  give(request: GiveKudosRequest): Promise<GiveKudosOutcome>;
  /** A reaction was added; gives kudos when it is the configured emoji. Throws when Slack could not be asked. */
  reactionAdded(event: ReactionEvent): Promise<void>;
  /**
   * The listener's entry: Slack has already been answered (Bolt acknowledges events first), so a reaction that
   * cannot be handled now (Slack lookups failing) is kept in the outbox and handled again with backoff.
   */
  reactionAddedOrLater(event: ReactionEvent): Promise<void>;
  /** A reaction was removed; withdraws its kudos within the undo window. */
  reactionRemoved(event: ReactionEvent): void;
  /** A message was deleted; withdraws every kudos given for it. */
  messageDeleted(event: { eventId: string; channelId: string; messageTs: string }): void;
  /** Queue an App Home publish for the user (on app_home_opened, or after choosing a period). */
  refreshHome(userId: string, trigger: string, period?: LeaderboardPeriod): void;
  /** Scheduled: forget Slack event ids older than a day and reaction events older than the undo window. */
  pruneEventLog(now: number): number;
  /** The user's own limits today (their allowance under the overrides), or undefined when kudos are off. */
  limitsOf(userId: string): Promise<KudosLimits | undefined>;
};

export type KudosLimits = {
  /** The user's daily allowance (an override's, or the default). */
  allowance: number;
  defaultAllowance: number;
  perRecipientCap: number;
  leftToday: number;
  /** The end of the user's day, in their own time zone. */
  resetsAt: number;
};

/** How long a Slack event id is remembered: Slack retries within about 5 minutes; a day is plenty. */
export const EVENT_ID_RETENTION_MS = 24 * 3_600_000;

export type ReactionEvent = {
  eventId: string;
  teamId: string;
  userId: string;
  reaction: string;
  itemUserId: string | undefined;
  channelId: string;
  messageTs: string;
  /** Slack's `event_ts`: the order in which the reactor added and removed, whatever the arrival order. */
  eventTs: string;
};

/** `clap::skin-tone-3` is a clap. */
export function baseEmoji(name: string): string {
  return name.replace(/::skin-tone-\d$/, '');
}

/** A reaction that cannot thank anyone: on a message with no person as author, or on the giver's own. */
function reactionProblem(event: ReactionEvent): { problem?: KudosProblem } {
  if (!event.itemUserId) return { problem: { problem: 'bot-message' } };
  if (event.itemUserId === event.userId) return { problem: { problem: 'own-message' } };
  return {};
}

/** A reaction event's subject: one reactor, one message, one emoji (skin tones are the same emoji). */
function reactionKey(event: ReactionEvent): ReactionKey {
  return {
    channelId: event.channelId,
    messageTs: event.messageTs,
    userId: event.userId,
    emoji: baseEmoji(event.reaction),
  };
}

export function reactionSourceKey(channelId: string, messageTs: string, giverId: string): string {
  return `reaction:${channelId}:${messageTs}:${giverId}`;
}

/** One DM per recipient about a kudos: that it was given, or withdrawn (idempotent per kudos, kind and recipient). */
function queueKudosDms(
  db: Db,
  about: 'given' | 'withdrawn',
  kudosId: number,
  recipientIds: readonly string[],
  now: number,
): void {
  const kind = about === 'given' ? 'kudos.recipient_dm' : 'kudos.withdrawn_dm';
  for (const recipientId of recipientIds) {
    enqueueOutbox(
      db,
      {
        kind,
        payload: { kudosId, recipientId },
        dedupeKey: `kudos:${kudosId}:${about === 'given' ? 'dm' : 'withdrawn-dm'}:${recipientId}`,
        orderingKey: recipientId,
      },
      now,
    );
  }
}

/** Tell each recipient a kudos was given (the DM links to the public post when there is one). */
export const queueRecipientDms = (db: Db, kudosId: number, recipientIds: readonly string[], now: number) =>
  queueKudosDms(db, 'given', kudosId, recipientIds, now);

/** Tell the recipients who were told about a kudos that it was withdrawn. */
export const queueWithdrawnDms = (db: Db, kudosId: number, recipientIds: readonly string[], now: number) =>
  queueKudosDms(db, 'withdrawn', kudosId, recipientIds, now);

/** The user's daily allowance under the config's overrides (user groups looked up only when listed). */
export async function allowanceOf(people: KudosPeople, kudos: KudosConfig, userId: string): Promise<number> {
  const groups = new Set<string>();
  for (const o of kudos.allowance_overrides) {
    if (o.usergroup && (await people.usergroupMembers(o.usergroup)).has(userId)) groups.add(o.usergroup);
  }
  return dailyAllowance(kudos, userId, groups);
}

export function createKudosService(deps: KudosDeps): KudosService {
  const { db, clock, logger } = deps;
  const settings = () => deps.config().kudos;

  const enqueueHome = (userIds: Iterable<string>, trigger: string, now: number) => {
    for (const userId of new Set(userIds)) {
      enqueueOutbox(
        db,
        { kind: 'home.publish', payload: { userId }, dedupeKey: `home:${userId}:${trigger}` },
        now,
      );
    }
  };
  const enqueueNotice = (notice: GiverNotice, dedupeKey: string, now: number) => {
    enqueueOutbox(
      db,
      { kind: 'kudos.giver_notice', payload: notice, dedupeKey, orderingKey: notice.giverId },
      now,
    );
  };

  /** Withdraw kudos and queue the Slack side (the post marked withdrawn, homes refreshed). */
  const withdraw = (kudos: Kudos, reason: string, now: number): boolean => {
    if (!revokeKudos(db, kudos.id, reason, now)) return false;
    enqueueOutbox(
      db,
      {
        kind: 'kudos.withdrawn',
        payload: { kudosId: kudos.id },
        dedupeKey: `kudos:${kudos.id}:withdrawn`,
        orderingKey: kudos.postChannelId,
      },
      now,
    );
    // Those already told about it hear it is withdrawn; a DM still queued will not go out (it checks first).
    queueWithdrawnDms(db, kudos.id, listNotifiedRecipients(db, kudos.id), now);
    enqueueHome([kudos.giverId, ...kudos.recipientIds], `kudos:${kudos.id}:withdrawn`, now);
    logger.info({ kudos: kudos.id, reason }, 'kudos withdrawn');
    return true;
  };

  async function give(request: GiveKudosRequest): Promise<GiveKudosOutcome> {
    const kudos = settings();
    const now = clock.now();
    const refused = (problem: KudosProblem): GiveKudosOutcome => {
      const duplicate = db.transaction(() => {
        if (request.eventId && !recordSlackEvent(db, request.eventId, request.source, now)) return true;
        if (request.notifyGiver?.refusals) {
          enqueueNotice(
            { giverId: request.giverId, channelId: request.notifyGiver.channelId, kind: 'refused', problem },
            `notice:${request.sourceKey}:${request.eventId ?? 'refused'}`,
            now,
          );
        }
        return false;
      })();
      logger.info(
        { giver: request.giverId, problem: problem.problem, source: request.source },
        'kudos refused',
      );
      return { ok: false, problem, duplicate };
    };
    if (!kudos) return refused({ problem: 'not-configured' });
    if (request.problem) return refused(request.problem);

    // Who exactly: named people as given, user groups expanded without the giver.
    if (request.userIds.includes(request.giverId)) return refused({ problem: 'self' });
    const fromGroups = new Set<string>();
    for (const groupId of request.usergroupIds) {
      for (const member of await deps.people.usergroupMembers(groupId)) {
        if (member !== request.giverId && !request.userIds.includes(member)) fromGroups.add(member);
      }
    }
    const named = [...new Set(request.userIds)];
    const everyone = [...named, ...fromGroups];
    const typedReason = request.source !== 'reaction';
    const draftProblem = checkDraft(
      { recipientIds: everyone, valueIds: request.valueIds, reason: request.reason },
      kudos,
      { typedReason },
    );
    if (draftProblem) return refused(draftProblem);

    const [giver, ...people] = await Promise.all([
      deps.people.user(request.giverId),
      ...everyone.map((id) => deps.people.user(id)),
    ]);
    if (!giver) throw new Error('giver lookup returned nothing');
    const byId = new Map(everyone.map((id, i) => [id, people[i]]));
    const namedBots = named.filter((id) => byId.get(id)?.isBot);
    if (namedBots.length > 0) return refused({ problem: 'bot', userIds: namedBots });
    const namedGone = named.filter((id) => byId.get(id)?.deleted);
    if (namedGone.length > 0) return refused({ problem: 'deactivated', userIds: namedGone });
    const recipientIds = everyone.filter((id) => !byId.get(id)?.isBot && !byId.get(id)?.deleted);
    if (recipientIds.length === 0) return refused({ problem: 'no-recipient' });

    const config = deps.config();
    const allowance = await allowanceOf(deps.people, kudos, request.giverId);
    const departments = async (id: string) =>
      (await departmentsOfMember(config, id, deps.people.usergroupMembers)).map((d) => d.id);
    const giverDepartments = await departments(request.giverId);
    const recipients = await Promise.all(
      recipientIds.map(async (userId) => ({ userId, departments: await departments(userId) })),
    );

    // The allowance check and the insert are one transaction: two gives racing cannot both take the last one.
    const store = db.transaction((): GiveKudosOutcome => {
      const at = clock.now();
      const window = dayWindow(at, giver.tz);
      const outcome = (k: Kudos, duplicate: boolean): GiveKudosOutcome => {
        const used = giverDay(db, request.giverId, window).usedToday;
        return {
          ok: true,
          kudos: k,
          duplicate,
          left: Math.max(0, allowance - used),
          allowance,
          resetsAt: window.end,
        };
      };
      const existing = findActiveKudosBySource(db, request.sourceKey);
      if (request.eventId && !recordSlackEvent(db, request.eventId, request.source, at)) {
        return existing
          ? outcome(existing, true)
          : { ok: false, problem: { problem: 'no-recipient' }, duplicate: true };
      }
      if (request.reactionEvent) {
        const { key, eventTs } = request.reactionEvent;
        // Removed meanwhile (a removal with a later event_ts was handled while this add waited on Slack).
        if (!claimReactionEvent(db, key, 'added', eventTs, at)) {
          return { ok: false, problem: { problem: 'reaction-removed' }, duplicate: false };
        }
      }
      if (existing) return outcome(existing, true);
      const problem = checkAllowance({
        allowance,
        cap: kudos.per_recipient_daily_cap,
        day: giverDay(db, request.giverId, window),
        recipientIds,
        window,
        timeZone: giver.tz,
      });
      if (problem) {
        if (request.notifyGiver?.refusals) {
          enqueueNotice(
            { giverId: request.giverId, channelId: request.notifyGiver.channelId, kind: 'refused', problem },
            `notice:${request.sourceKey}:${request.eventId ?? at}`,
            at,
          );
        }
        return { ok: false, problem, duplicate: false };
      }
      const id = insertKudos(db, {
        sourceKey: request.sourceKey,
        teamId: request.teamId,
        giverId: request.giverId,
        source: request.source,
        reason: request.reason.trim(),
        valueIds: request.valueIds,
        giverDepartments,
        giverTz: giver.tz,
        recipients,
        originChannelId: request.originChannelId,
        sourceChannelId: request.sourceChannelId,
        sourceMessageTs: request.sourceMessageTs,
        sourceThreadTs: request.sourceThreadTs,
        now: at,
      });
      if (kudos.visibility !== 'private') {
        // The DMs link to the public post, so the post handler queues them once the post exists.
        enqueueOutbox(
          db,
          {
            kind: 'kudos.post',
            payload: { kudosId: id },
            dedupeKey: `kudos:${id}:post`,
            // The conversation it is posted in: the source message's thread, or the kudos channel.
            orderingKey:
              kudos.visibility === 'thread' && request.sourceChannelId && request.sourceMessageTs
                ? request.sourceChannelId
                : kudos.channel,
          },
          at,
        );
      } else {
        queueRecipientDms(db, id, recipientIds, at);
      }
      if (request.notifyGiver) {
        enqueueNotice(
          { giverId: request.giverId, channelId: request.notifyGiver.channelId, kind: 'given', kudosId: id },
          `kudos:${id}:notice`,
          at,
        );
      }
      enqueueHome([request.giverId, ...recipientIds], `kudos:${id}`, at);
      const stored = getKudos(db, id);
      if (!stored) throw new Error(`kudos ${id} vanished right after it was stored`);
      return outcome(stored, false);
    });
    const result = store.immediate();
    if (result.ok && !result.duplicate) {
      logger.info(
        {
          kudos: result.kudos.id,
          giver: request.giverId,
          recipients: recipientIds.length,
          source: request.source,
        },
        'kudos given',
      );
    } else if (!result.ok && !result.duplicate) {
      logger.info({ giver: request.giverId, problem: result.problem.problem }, 'kudos refused');
    }
    return result;
  }

  return {
    settings,

    async limitsOf(userId) {
      const kudos = settings();
      if (!kudos) return undefined;
      const [person, allowance] = await Promise.all([
        deps.people.user(userId),
        allowanceOf(deps.people, kudos, userId),
      ]);
      const today = dayWindow(clock.now(), person.tz);
      return {
        allowance,
        defaultAllowance: kudos.daily_allowance,
        perRecipientCap: kudos.per_recipient_daily_cap,
        leftToday: Math.max(0, allowance - giverDay(db, userId, today).usedToday),
        resetsAt: today.end,
      };
    },
    give,

    async reactionAddedOrLater(event) {
      try {
        await this.reactionAdded(event);
      } catch (error) {
        logger.warn(
          { err: error, eventId: event.eventId },
          'could not handle a reaction now; it will be retried',
        );
        enqueueOutbox(
          db,
          {
            kind: 'kudos.reaction_retry',
            payload: event,
            dedupeKey: `reaction-retry:${event.eventId}`,
          },
          clock.now(),
        );
      }
    },

    async reactionAdded(event) {
      const kudos = settings();
      if (!kudos?.reaction || baseEmoji(event.reaction) !== kudos.reaction) return;
      await give({
        sourceKey: reactionSourceKey(event.channelId, event.messageTs, event.userId),
        source: 'reaction',
        teamId: event.teamId,
        giverId: event.userId,
        // A message without a person as author (an integration's; Slack then sends no item_user) has nobody
        // to thank; a bot's message with an author id is refused by the same check as any bot.
        userIds: event.itemUserId ? [event.itemUserId] : [],
        ...reactionProblem(event),
        usergroupIds: [],
        valueIds: [],
        reason: '',
        originChannelId: event.channelId,
        sourceChannelId: event.channelId,
        sourceMessageTs: event.messageTs,
        eventId: event.eventId,
        reactionEvent: { key: reactionKey(event), eventTs: event.eventTs },
        notifyGiver: { channelId: event.channelId, refusals: true },
      });
    },

    reactionRemoved(event) {
      const kudos = settings();
      if (!kudos?.reaction || baseEmoji(event.reaction) !== kudos.reaction) return;
      db.transaction(() => {
        const now = clock.now();
        if (!recordSlackEvent(db, event.eventId, 'reaction_removed', now)) return;
        if (!claimReactionEvent(db, reactionKey(event), 'removed', event.eventTs, now)) {
          logger.info(
            { eventId: event.eventId },
            'a reaction removal older than a later add; the kudos stands',
          );
          return;
        }
        const given = findActiveKudosBySource(
          db,
          reactionSourceKey(event.channelId, event.messageTs, event.userId),
        );
        if (!given) {
          // Removed before a retried add was handled: that add has nothing left to give.
          cancelPendingOutbox(
            db,
            'kudos.reaction_retry',
            { channelId: event.channelId, messageTs: event.messageTs, userId: event.userId },
            'the reaction was removed',
            now,
          );
          return;
        }
        if (now - given.createdAt > kudos.undo_window_minutes * 60_000) {
          logger.info({ kudos: given.id }, 'reaction removed after the undo window; the kudos stands');
          return;
        }
        if (withdraw(given, 'reaction removed', now)) {
          enqueueNotice(
            { giverId: event.userId, channelId: event.channelId, kind: 'withdrawn', kudosId: given.id },
            `kudos:${given.id}:withdrawn-notice`,
            now,
          );
        }
      }).immediate();
    },

    messageDeleted(event) {
      db.transaction(() => {
        const now = clock.now();
        if (!recordSlackEvent(db, event.eventId, 'message_deleted', now)) return;
        // Off by default: the app then subscribes to no message events (least privilege), and an event from
        // an older manifest changes nothing.
        if (settings()?.withdraw_on_message_deleted !== true) return;
        for (const k of listActiveKudosForMessage(db, event.channelId, event.messageTs)) {
          withdraw(k, 'message deleted', now);
        }
      }).immediate();
    },

    pruneEventLog(now) {
      const undoWindowMs = (settings()?.undo_window_minutes ?? 60) * 60_000;
      pruneReactionEvents(db, now - undoWindowMs);
      const removed = pruneSlackEvents(db, now - EVENT_ID_RETENTION_MS);
      if (removed > 0) logger.debug({ removed }, 'forgot old Slack event ids');
      return removed;
    },

    refreshHome(userId, trigger, period) {
      db.transaction(() => {
        const now = clock.now();
        if (period) setHomePeriod(db, userId, period, now);
        enqueueHome([userId], trigger, now);
      }).immediate();
    },
  };
}
