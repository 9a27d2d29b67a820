import type { KudosConfig } from '../config/kudos-schema.js';
import { departmentsOfMember } from '../config/membership.js';
import { laneOf } from '../slack/delivery/lanes.js';
import { closePendingByKey, enqueueOutbox } from '../slack/delivery/outbox-repo.js';
import type { Db } from '../store/db.js';
import { dayWindow } from '../time/local-time.js';
import { reactionRetryKey } from './outbox.js';
import { queueGiverNotice, queueHomeRefresh, queueRecipientDms } from './queue.js';
import {
  claimReactionEvent,
  findActiveKudosBySource,
  giverDay,
  insertKudos,
  kudosAsInserted,
  type ReactionKey,
  recordSlackEvent,
} from './repo.js';
import { checkAllowance, checkDraft, dailyAllowance, type KudosProblem } from './rules.js';
import type { GiveDeps, KudosDeps, KudosPeople } from './service.js';
import type { Kudos, KudosSource, NewKudos } from './types.js';

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
  /** When it was asked for, when that was before it could be handled (a give that waited on Slack): its day. */
  requestedAt?: number | undefined;
  /** Events API: the event id, so a retried event is recognised. */
  eventId?: string | undefined;
  /** A "+1" on the app's post of this kudos: the same people, reason and values. */
  plusOneOf?: number | undefined;
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

/** The user's daily allowance under the config's overrides (user groups looked up only when listed). */
export async function allowanceOf(people: KudosPeople, kudos: KudosConfig, userId: string): Promise<number> {
  const groups = new Set<string>();
  for (const o of kudos.allowance_overrides) {
    if (o.usergroup && (await people.usergroupMembers(o.usergroup)).has(userId)) groups.add(o.usergroup);
  }
  return dailyAllowance(kudos, userId, groups);
}

/** Everything known before the transaction: who is thanked, their teams, the giver's zone and allowance. */
type Prepared = {
  kudos: KudosConfig;
  recipientIds: string[];
  recipients: { userId: string; departments: string[] }[];
  giverDepartments: string[];
  giverTz: string;
  allowance: number;
};

/**
 * The request's Slack event recorded (false: it was recorded before, a repeat), inside the give's transaction. A
 * reaction's journal entry (`journalReaction`) is closed with it: the reaction is handled, given or refused.
 */
function recordEvent(db: Db, request: GiveKudosRequest, now: number): boolean {
  if (!request.eventId) return true;
  if (!recordSlackEvent(db, request.eventId, request.source, now)) return false;
  if (request.source === 'reaction') closePendingByKey(db, reactionRetryKey(request.eventId), 'handled', now);
  return true;
}

/** Record a refusal (and the event, so a retry is recognised), telling the giver when asked to. */
function refuse(deps: KudosDeps, request: GiveKudosRequest, problem: KudosProblem): GiveKudosOutcome {
  const { db } = deps;
  const now = deps.clock.now();
  const duplicate = db.transaction(() => {
    if (!recordEvent(db, request, now)) return true;
    if (request.notifyGiver?.refusals) {
      queueGiverNotice(
        db,
        { giverId: request.giverId, channelId: request.notifyGiver.channelId, kind: 'refused', problem },
        `notice:${request.sourceKey}:${request.eventId ?? 'refused'}`,
        now,
      );
    }
    return false;
  })();
  deps.logger.info(
    { giver: request.giverId, problem: problem.problem, source: request.source },
    'kudos refused',
  );
  return { ok: false, problem, duplicate };
}

/** Named people as given, user groups expanded without the giver; the draft checked against the rules. */
async function whoIsThanked(
  deps: KudosDeps,
  request: GiveKudosRequest,
  kudos: KudosConfig,
): Promise<{ named: string[]; everyone: string[] } | KudosProblem> {
  if (request.userIds.includes(request.giverId)) return { problem: 'self' };
  const fromGroups = new Set<string>();
  for (const groupId of request.usergroupIds) {
    for (const member of await deps.people.usergroupMembers(groupId)) {
      if (member !== request.giverId && !request.userIds.includes(member)) fromGroups.add(member);
    }
  }
  const named = [...new Set(request.userIds)];
  const everyone = [...named, ...fromGroups];
  const draft = { recipientIds: everyone, valueIds: request.valueIds, reason: request.reason };
  return checkDraft(draft, kudos, { typedReason: request.source !== 'reaction' }) ?? { named, everyone };
}

/**
 * Every look-up's answer, or the first failure once all have ended: a give retried after a failure then asks
 * Slack afresh rather than joining a look-up of the failed attempt still under way (the directory shares one
 * call per person).
 */
async function allLookups<T>(lookups: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(lookups);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/** Ask Slack about the people (bots and deactivated people named are refused) and the teams they are in. */
async function prepare(
  deps: KudosDeps,
  request: GiveKudosRequest,
  kudos: KudosConfig,
): Promise<Prepared | KudosProblem> {
  const who = await whoIsThanked(deps, request, kudos);
  if ('problem' in who) return who;
  const { named, everyone } = who;
  const [giver, ...people] = await allLookups([
    deps.people.user(request.giverId),
    ...everyone.map((id) => deps.people.user(id)),
  ]);
  if (!giver) throw new Error('giver lookup returned nothing');
  const byId = new Map(everyone.map((id, i) => [id, people[i]]));
  const namedBots = named.filter((id) => byId.get(id)?.isBot);
  if (namedBots.length > 0) return { problem: 'bot', userIds: namedBots };
  const namedGone = named.filter((id) => byId.get(id)?.deleted);
  if (namedGone.length > 0) return { problem: 'deactivated', userIds: namedGone };
  const recipientIds = everyone.filter((id) => !byId.get(id)?.isBot && !byId.get(id)?.deleted);
  if (recipientIds.length === 0) return { problem: 'no-recipient' };
  const config = deps.config();
  const departments = async (id: string) =>
    (await departmentsOfMember(config, id, deps.people.usergroupMembers)).map((d) => d.id);
  return {
    kudos,
    recipientIds,
    recipients: await Promise.all(
      recipientIds.map(async (userId) => ({ userId, departments: await departments(userId) })),
    ),
    giverDepartments: await departments(request.giverId),
    giverTz: giver.tz,
    allowance: await allowanceOf(deps.people, kudos, request.giverId),
  };
}

/** Queue the Slack side of a new kudos: the public post (which queues the DMs) or the DMs, the notice, Homes. */
function queueNewKudos(
  deps: KudosDeps,
  request: GiveKudosRequest,
  p: Prepared,
  given: { id: number; at: number; left: number },
): void {
  const { id, at } = given;
  const { db } = deps;
  if (p.kudos.visibility !== 'private') {
    // The conversation it is posted in: the source message's thread, or the kudos channel.
    const inThread = p.kudos.visibility === 'thread' && request.sourceChannelId && request.sourceMessageTs;
    enqueueOutbox(
      db,
      {
        kind: 'kudos.post',
        payload: { kudosId: id },
        dedupeKey: `kudos:${id}:post`,
        // Kudos posts need no order among themselves: one lane of the channel per kudos (slack/delivery/lanes.ts).
        orderingKey: laneOf((inThread ? request.sourceChannelId : undefined) ?? p.kudos.channel, id),
      },
      at,
    );
  } else {
    queueRecipientDms(db, id, p.recipientIds, at);
  }
  if (request.notifyGiver) {
    const notice = {
      giverId: request.giverId,
      channelId: request.notifyGiver.channelId,
      kind: 'given' as const,
      kudosId: id,
      recipientIds: p.recipientIds,
      source: request.source,
      left: given.left,
    };
    queueGiverNotice(db, notice, `kudos:${id}:notice`, at);
  }
  queueHomeRefresh(db, [request.giverId, ...p.recipientIds], `kudos:${id}`, at);
}

/** The kudos to store for a request that passed every check. */
function newKudos(request: GiveKudosRequest, p: Prepared, at: number): NewKudos {
  return {
    sourceKey: request.sourceKey,
    teamId: request.teamId,
    giverId: request.giverId,
    source: request.source,
    reason: request.reason.trim(),
    valueIds: request.valueIds,
    giverDepartments: p.giverDepartments,
    giverTz: p.giverTz,
    recipients: p.recipients,
    originChannelId: request.originChannelId,
    sourceChannelId: request.sourceChannelId,
    sourceMessageTs: request.sourceMessageTs,
    sourceThreadTs: request.sourceThreadTs,
    plusOneOf: request.plusOneOf,
    now: at,
  };
}

/** The allowance check and the insert, in one transaction: two gives racing cannot both take the last one. */
function store(deps: KudosDeps, request: GiveKudosRequest, p: Prepared): GiveKudosOutcome {
  const { db } = deps;
  const at = request.requestedAt ?? deps.clock.now();
  const window = dayWindow(at, p.giverTz);
  const outcome = (k: Kudos, duplicate: boolean, used: number): GiveKudosOutcome => {
    const left = Math.max(0, p.allowance - used);
    return { ok: true, kudos: k, duplicate, left, allowance: p.allowance, resetsAt: window.end };
  };
  const repeated = (k: Kudos) => outcome(k, true, giverDay(db, request.giverId, window).usedToday);
  const existing = findActiveKudosBySource(db, request.sourceKey);
  if (!recordEvent(db, request, at)) {
    return existing
      ? repeated(existing)
      : { ok: false, problem: { problem: 'no-recipient' }, duplicate: true };
  }
  // Removed meanwhile (a removal with a later event_ts was handled while this add waited on Slack).
  const { reactionEvent } = request;
  if (reactionEvent && !claimReactionEvent(db, reactionEvent.key, 'added', reactionEvent.eventTs, at)) {
    return { ok: false, problem: { problem: 'reaction-removed' }, duplicate: false };
  }
  if (existing) return repeated(existing);
  const day = giverDay(db, request.giverId, window);
  const cap = p.kudos.per_recipient_daily_cap;
  const problem = checkAllowance({
    allowance: p.allowance,
    cap,
    day,
    recipientIds: p.recipientIds,
    window,
    timeZone: p.giverTz,
  });
  if (problem) {
    if (request.notifyGiver?.refusals) {
      const notice = {
        giverId: request.giverId,
        channelId: request.notifyGiver.channelId,
        kind: 'refused' as const,
        problem,
      };
      queueGiverNotice(db, notice, `notice:${request.sourceKey}:${request.eventId ?? at}`, at);
    }
    return { ok: false, problem, duplicate: false };
  }
  const stored = newKudos(request, p, at);
  const id = insertKudos(db, stored);
  // Each person thanked takes one of the giver's allowance.
  const used = day.usedToday + p.recipients.length;
  queueNewKudos(deps, request, p, { id, at, left: Math.max(0, p.allowance - used) });
  // What was just written, not read back.
  return outcome(kudosAsInserted(id, stored), false, used);
}

/** `/kudos`, the form and reactions alike: check the rules, store once, queue the Slack side. */
export async function giveKudos(deps: GiveDeps, request: GiveKudosRequest): Promise<GiveKudosOutcome> {
  const kudos = deps.config().kudos;
  if (!kudos) return refuse(deps, request, { problem: 'not-configured' });
  if (request.problem) return refuse(deps, request, request.problem);
  const prepared = await prepare(deps, request, kudos);
  if ('problem' in prepared) return refuse(deps, request, prepared);
  const result = await deps.write(() => store(deps, request, prepared));
  if (result.ok && !result.duplicate) {
    const fields = {
      giver: request.giverId,
      recipients: prepared.recipientIds.length,
      source: request.source,
    };
    deps.logger.info({ kudos: result.kudos.id, ...fields }, 'kudos given');
  } else if (!result.ok && !result.duplicate) {
    deps.logger.info({ giver: request.giverId, problem: result.problem.problem }, 'kudos refused');
  }
  return result;
}
