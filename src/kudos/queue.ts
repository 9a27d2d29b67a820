import { enqueueOutbox } from '../slack/delivery/outbox-repo.js';
import type { Db } from '../store/db.js';
import { homeViewersAmong } from './home-viewers.js';
import type { KudosProblem } from './rules.js';
import type { KudosSource } from './types.js';

/**
 * The kudos room's writes to the outbox, each inside the caller's transaction: DMs to the people thanked,
 * notices to the giver, and App Home refreshes. Each dedupe key makes a repeat harmless.
 */

/** Where a refusal or confirmation for the giver goes: ephemeral in a channel, or (no channel) a DM. */
export type GiverNotice =
  | ({ giverId: string; channelId: string | undefined; kind: 'given'; kudosId: number } & Partial<GivenNote>)
  | { giverId: string; channelId: string | undefined; kind: 'refused'; problem: KudosProblem }
  | { giverId: string; channelId: string | undefined; kind: 'withdrawn'; kudosId: number };

/**
 * What the giver is told of a kudos just given, written when it is given (the notice then reads nothing back):
 * whom it thanked, how it was given, and how many of today's kudos were left after it.
 */
export type GivenNote = { recipientIds: string[]; source: KudosSource; left: number };

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

/** Tell the giver: given, refused or withdrawn. */
export function queueGiverNotice(db: Db, notice: GiverNotice, dedupeKey: string, now: number): void {
  enqueueOutbox(
    db,
    { kind: 'kudos.giver_notice', payload: notice, dedupeKey, orderingKey: notice.giverId },
    now,
  );
}

/**
 * Publish these people's App Home again (once per person and trigger), for those who have opened it: anyone
 * else's is published when they first open it (`home-viewers.ts`).
 */
export function queueHomeRefresh(db: Db, userIds: Iterable<string>, trigger: string, now: number): void {
  for (const userId of homeViewersAmong(db, [...new Set(userIds)])) {
    enqueueOutbox(
      db,
      { kind: 'home.publish', payload: { userId }, dedupeKey: `home:${userId}:${trigger}` },
      now,
    );
  }
}
