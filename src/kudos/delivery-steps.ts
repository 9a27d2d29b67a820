import type { Logger } from 'pino';
import type { z } from 'zod';
import type { OrgConfig } from '../config/org-schema.js';
import type { DeliveryContext } from '../slack/delivery/delivery.js';
import { slackErrorCode } from '../slack/delivery/slack-errors.js';
import { permalinkOf } from '../slack/permalinks.js';
import { dayWindow } from '../time/local-time.js';
import { givenNoticeText, problemText, recipientDmText, withdrawnNoticeText } from './blocks.js';
import { allowanceOf } from './give.js';
import { postPlace, sourcePlace } from './message-places.js';
import type { kudosOutbox } from './outbox.js';
import { queueWithdrawnDms } from './queue.js';
import { getKudos, giverDay, isKudosWithdrawn, markRecipientNotified } from './repo.js';
import type { KudosProblem } from './rules.js';
import type { KudosPeople } from './service.js';
import type { Kudos } from './types.js';

/**
 * The steps of kudos deliveries that one message and several together (`combined-deliveries.ts`) share: what
 * the giver and the people thanked are told, how, and what is recorded once they were.
 */

/** Errors that mean "an ephemeral message cannot reach this person there": a DM reaches them instead. */
const EPHEMERAL_FALLBACK = new Set([
  'channel_not_found',
  'not_in_channel',
  'user_not_in_channel',
  'is_archived',
]);

/** `covers`: the outbox messages this note delivers, when it gathers several (`combined-deliveries.ts`). */
export async function tellGiver(
  { client, post }: Pick<DeliveryContext, 'client' | 'post'>,
  giverId: string,
  channelId: string | undefined,
  text: string,
  logger: Logger,
  covers?: readonly number[],
): Promise<void> {
  if (channelId) {
    try {
      await client.chat.postEphemeral({ channel: channelId, user: giverId, text });
      return;
    } catch (error) {
      if (!EPHEMERAL_FALLBACK.has(slackErrorCode(error) ?? '')) throw error;
      logger.info({ channel: channelId }, 'cannot answer the giver in the channel; sending a DM');
    }
  }
  await post({ channel: giverId, text }, covers);
}

/** The DM telling a person thanked of a kudos; nothing when it was withdrawn. */
export async function recipientDmOf(
  deps: { config: () => OrgConfig },
  kudos: Kudos,
  { client, logger }: Pick<DeliveryContext, 'client' | 'logger'>,
): Promise<string | undefined> {
  if (kudos.revokedAt !== undefined) return undefined;
  const link = kudos.postTs
    ? await permalinkOf(client, kudos.postChannelId, kudos.postTs, logger, postPlace(kudos))
    : await permalinkOf(client, kudos.sourceChannelId, kudos.sourceMessageTs, logger, sourcePlace(kudos));
  return recipientDmText(kudos, deps.config().kudos, link);
}

/** Bookkeeping of a DM sent to a person thanked, with its sent mark. */
export function recipientTold(
  { db, clock }: Pick<DeliveryContext, 'db' | 'clock'>,
  kudosId: number,
  recipientId: string,
) {
  const now = clock.now();
  markRecipientNotified(db, kudosId, recipientId, now);
  // Withdrawn while this DM was on its way: the withdrawal did not know to tell this person, so tell them now.
  if (isKudosWithdrawn(db, kudosId)) queueWithdrawnDms(db, kudosId, [recipientId], now);
}

type GiverNoticePayload = z.output<(typeof kudosOutbox)['kudos.giver_notice']>;

/** What the giver is told by a notice; nothing when the kudos was withdrawn since. */
export async function giverNoticeText(
  deps: { config: () => OrgConfig; people: KudosPeople },
  n: GiverNoticePayload,
  { db, clock }: Pick<DeliveryContext, 'db' | 'clock'>,
): Promise<string | undefined> {
  if (n.kind === 'refused') return problemText(n.problem as KudosProblem, clock.now());
  if (n.kind === 'given' && n.recipientIds && n.source && n.left !== undefined) {
    // Written when it was given: only whether it was withdrawn since is read.
    if (isKudosWithdrawn(db, n.kudosId)) return undefined;
    const note = { recipientIds: n.recipientIds, source: n.source };
    return givenNoticeText(note, n.left, deps.config().kudos?.undo_window_minutes);
  }
  const kudos = getKudos(db, n.kudosId);
  if (!kudos) throw new Error(`kudos ${n.kudosId} not found`);
  if (n.kind === 'withdrawn') return withdrawnNoticeText(kudos);
  if (kudos.revokedAt !== undefined) return undefined;
  // A notice queued before the note was written with the kudos: counted now.
  const settings = deps.config().kudos;
  const allowance = settings ? await allowanceOf(deps.people, settings, kudos.giverId) : 0;
  const used = giverDay(db, kudos.giverId, dayWindow(clock.now(), kudos.giverTz)).usedToday;
  return givenNoticeText(kudos, Math.max(0, allowance - used), settings?.undo_window_minutes);
}
