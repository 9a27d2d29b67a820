import { laneOf } from '../slack/delivery/lanes.js';
import { closePendingByKey, enqueueOutbox, makeDueNow } from '../slack/delivery/outbox-repo.js';
import type { Db } from '../store/db.js';
import { createGroupCommit } from '../store/group-commit.js';
import { stmt } from '../store/statements.js';
import { findCustomerPraiseByCard } from './customer-praise-repo.js';
import { giveKudos } from './give.js';
import { reactionRetryKey } from './outbox.js';
import { plusOneOf, plusOneOfPraise } from './plus-one.js';
import { queueGiverNotice, queueHomeRefresh, queueWithdrawnDms } from './queue.js';
import {
  claimReactionEvent,
  findActiveKudosBySource,
  findKudosByPost,
  listActiveKudosForMessage,
  listNotifiedRecipients,
  type ReactionKey,
  recordSlackEvent,
  revokeKudos,
  sortableEventTs,
} from './repo.js';
import type { KudosProblem } from './rules.js';
import type { GiveDeps, KudosDeps, KudosService } from './service.js';
import type { Kudos } from './types.js';

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
function baseEmoji(name: string): string {
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

function reactionSourceKey(channelId: string, messageTs: string, giverId: string): string {
  return `reaction:${channelId}:${messageTs}:${giverId}`;
}

/** Withdraw kudos and queue the Slack side (the post marked withdrawn, DMs to those told, Homes refreshed). */
function withdraw(deps: KudosDeps, kudos: Kudos, reason: string, now: number): boolean {
  const { db } = deps;
  if (!revokeKudos(db, kudos.id, reason, now)) return false;
  enqueueOutbox(
    db,
    {
      kind: 'kudos.withdrawn',
      payload: { kudosId: kudos.id },
      dedupeKey: `kudos:${kudos.id}:withdrawn`,
      // The lane its post went out in (slack/delivery/lanes.ts), so the change follows the post.
      orderingKey: kudos.postChannelId === undefined ? undefined : laneOf(kudos.postChannelId, kudos.id),
    },
    now,
  );
  // Those already told about it hear it is withdrawn; a DM still queued will not go out (it checks first).
  queueWithdrawnDms(db, kudos.id, listNotifiedRecipients(db, kudos.id), now);
  queueHomeRefresh(db, [kudos.giverId, ...kudos.recipientIds], `kudos:${kudos.id}:withdrawn`, now);
  deps.logger.info({ kudos: kudos.id, reason }, 'kudos withdrawn');
  return true;
}

/**
 * What a reaction on this message gives: on the app's own post of a kudos, a "+1" (the same people, reason and
 * values); on an "A customer said…" card, a kudos to the colleagues it names; on anyone else's message, a kudos
 * to its author.
 */
function reactionGift(deps: KudosDeps, event: ReactionEvent) {
  const post = findKudosByPost(deps.db, event.channelId, event.messageTs);
  if (post) {
    const { problem, userIds, threadTs } = plusOneOf(post, event.userId);
    return {
      userIds,
      ...(problem ? { problem } : {}),
      valueIds: post.valueIds,
      reason: post.reason,
      plusOneOf: post.id,
      sourceThreadTs: threadTs,
    };
  }
  const praise = findCustomerPraiseByCard(deps.db, event.channelId, event.messageTs);
  if (praise) {
    const { problem, userIds, reason } = plusOneOfPraise(praise, event.userId);
    return { userIds, ...(problem ? { problem } : {}), valueIds: [], reason };
  }
  // A message without a person as author (an integration's; Slack then sends no item_user) has nobody
  // to thank; a bot's message with an author id is refused by the same check as any bot.
  return {
    userIds: event.itemUserId ? [event.itemUserId] : [],
    ...reactionProblem(event),
    valueIds: [],
    reason: '',
  };
}

/** Whether the reaction is the configured kudos emoji (anything else is ignored). */
function isKudosReaction(deps: Pick<KudosDeps, 'config'>, event: Pick<ReactionEvent, 'reaction'>): boolean {
  const kudos = deps.config().kudos;
  return kudos?.reaction !== undefined && baseEmoji(event.reaction) === kudos.reaction;
}

/** A reaction was added: kudos when it is the configured emoji. Throws when Slack could not be asked. */
async function reactionAdded(deps: GiveDeps, event: ReactionEvent): Promise<void> {
  if (!isKudosReaction(deps, event)) return;
  await giveKudos(deps, {
    sourceKey: reactionSourceKey(event.channelId, event.messageTs, event.userId),
    source: 'reaction',
    teamId: event.teamId,
    giverId: event.userId,
    ...reactionGift(deps, event),
    usergroupIds: [],
    originChannelId: event.channelId,
    sourceChannelId: event.channelId,
    sourceMessageTs: event.messageTs,
    eventId: event.eventId,
    reactionEvent: { key: reactionKey(event), eventTs: event.eventTs },
    notifyGiver: { channelId: event.channelId, refusals: true },
  });
}

/** A reaction was removed: withdraws its kudos within the undo window. */
function reactionRemoved(deps: KudosDeps, event: ReactionEvent): void {
  const { db, logger } = deps;
  const kudos = deps.config().kudos;
  if (!kudos?.reaction || baseEmoji(event.reaction) !== kudos.reaction) return;
  db.transaction(() => {
    const now = deps.clock.now();
    if (!recordSlackEvent(db, event.eventId, 'reaction_removed', now)) return;
    if (!claimReactionEvent(db, reactionKey(event), 'removed', event.eventTs, now)) {
      logger.info({ eventId: event.eventId }, 'a reaction removal older than a later add; the kudos stands');
      return;
    }
    const given = findActiveKudosBySource(
      db,
      reactionSourceKey(event.channelId, event.messageTs, event.userId),
    );
    if (!given) {
      // Removed before an add was handled (retried, or journalled and still at work): that add has nothing left
      // to give. Only adds not newer than the removal (ties go to the removal, as in claimReactionEvent): a newer
      // one, journalled before this removal arrived, stands.
      closeOlderReactionRetries(db, event, now);
      return;
    }
    if (now - given.createdAt > kudos.undo_window_minutes * 60_000) {
      logger.info({ kudos: given.id }, 'reaction removed after the undo window; the kudos stands');
      return;
    }
    if (withdraw(deps, given, 'reaction removed', now)) {
      const notice = {
        giverId: event.userId,
        channelId: event.channelId,
        kind: 'withdrawn' as const,
        kudosId: given.id,
      };
      queueGiverNotice(db, notice, `kudos:${given.id}:withdrawn-notice`, now);
    }
  }).immediate();
}

/** A message was deleted: withdraws every kudos given for it (when the org config asks for it). */
function messageDeleted(
  deps: KudosDeps,
  event: { eventId: string; channelId: string; messageTs: string },
): void {
  const { db } = deps;
  db.transaction(() => {
    const now = deps.clock.now();
    if (!recordSlackEvent(db, event.eventId, 'message_deleted', now)) return;
    // Off by default: the app then subscribes to no message events (least privilege), and an event from
    // an older manifest changes nothing.
    if (deps.config().kudos?.withdraw_on_message_deleted !== true) return;
    for (const k of listActiveKudosForMessage(db, event.channelId, event.messageTs)) {
      withdraw(deps, k, 'message deleted', now);
    }
  }).immediate();
}

/**
 * How many added reactions may be at work at once (most wait on Slack to learn who someone is, or on the next
 * commit); more are stored for the outbox, which handles them as it handles one that failed. A reaction storm
 * between people the app has not met was held in memory, listener by listener (Slack had its answer already):
 * 150 MB of heap in a flat-out benchmark, all lost had the process stopped.
 */
export const MAX_REACTIONS_AT_WORK = 256;

/**
 * How long after its arrival a journalled reaction is given by the outbox if the work on it in memory has not
 * ended (the process stopped, or Slack has not answered): far past a normal give, so the two rarely overlap,
 * and harmless when they do (the event id is recorded once).
 */
export const REACTION_JOURNAL_GRACE_MS = 60_000;

/** Closes the pending retries (journal entries) of this person's reaction on this message not newer than `removal`. */
function closeOlderReactionRetries(db: Db, removal: ReactionEvent, now: number): void {
  const rows = stmt(
    db,
    `SELECT dedupe_key AS dedupeKey, json_extract(payload, '$.eventTs') AS eventTs FROM outbox
       WHERE status = 'pending' AND kind = 'kudos.reaction_retry' AND json_extract(payload, '$.channelId') = ?
         AND json_extract(payload, '$.messageTs') = ? AND json_extract(payload, '$.userId') = ?`,
  ).all(removal.channelId, removal.messageTs, removal.userId) as {
    dedupeKey: string;
    eventTs: string | null;
  }[];
  const removedAt = sortableEventTs(removal.eventTs);
  for (const row of rows) {
    if (sortableEventTs(row.eventTs ?? '0') <= removedAt)
      closePendingByKey(db, row.dedupeKey, 'cancelled: the reaction was removed', now);
  }
}

/** At start: the reactions journalled by the process before are due now (nothing is working on them). */
export function journalledReactionsDueNow(db: Db, now: number): number {
  return stmt(
    db,
    `UPDATE outbox SET next_attempt_at = ?
       WHERE status = 'pending' AND kind = 'kudos.reaction_retry' AND next_attempt_at > ?`,
  ).run(now, now).changes;
}

/** The reaction and deletion events of the kudos service. */
export function createReactionHandlers(
  deps: GiveDeps,
): Pick<
  KudosService,
  'journalReaction' | 'reactionAdded' | 'reactionAddedOrLater' | 'reactionRemoved' | 'messageDeleted'
> {
  const queue = (event: ReactionEvent, now: number, dueAt: number) =>
    enqueueOutbox(
      deps.db,
      { kind: 'kudos.reaction_retry', payload: event, dedupeKey: reactionRetryKey(event.eventId) },
      now,
      dueAt,
    );
  /** For the outbox to give now: journalled already (the usual case), or not. */
  const later = (event: ReactionEvent) => {
    const now = deps.clock.now();
    if (!makeDueNow(deps.db, reactionRetryKey(event.eventId), now)) queue(event, now, now);
  };
  // The reactions that arrive in one turn of the event loop are journalled in one commit (a storm: many a turn).
  const journal = createGroupCommit(deps.db, {
    write: (event: ReactionEvent) => {
      const now = deps.clock.now();
      queue(event, now, now + REACTION_JOURNAL_GRACE_MS);
    },
    undo: () => {},
  });
  let atWork = 0;
  return {
    journalReaction: async (event) => {
      if (isKudosReaction(deps, event)) await journal(event);
    },
    reactionAdded: (event) => reactionAdded(deps, event),
    async reactionAddedOrLater(event) {
      if (atWork >= MAX_REACTIONS_AT_WORK) {
        later(event);
        return;
      }
      atWork += 1;
      try {
        await reactionAdded(deps, event);
      } catch (error) {
        deps.logger.warn(
          { err: error, eventId: event.eventId },
          'could not handle a reaction now; it will be retried',
        );
        later(event);
      } finally {
        atWork -= 1;
      }
    },
    reactionRemoved: (event) => reactionRemoved(deps, event),
    messageDeleted: (event) => messageDeleted(deps, event),
  };
}
