import type { KudosProblem } from './rules.js';
import type { Kudos } from './types.js';

/** Whom a "+1" thanks, or why it thanks nobody. */
export type PlusOne = {
  userIds: string[];
  problem?: KudosProblem;
  /** Where the +1 is posted when kudos go in threads: the thread the kudos it joins was posted in. */
  threadTs: string | undefined;
};

/**
 * The configured reaction on the app's own post of a kudos means "+1": the reactor thanks the same people, for
 * the same reason and values, under the usual rules (allowance, cap, undo window). The reactor is left out when
 * they are among the people thanked; the giver of the kudos already thanked them; a withdrawn kudos has
 * nothing to join in on.
 */
export function plusOneOf(original: Kudos, reactorId: string): PlusOne {
  const inThread =
    original.postChannelId !== undefined &&
    original.postChannelId === original.sourceChannelId &&
    original.sourceMessageTs !== undefined;
  const threadTs = inThread ? (original.sourceThreadTs ?? original.sourceMessageTs) : undefined;
  if (original.revokedAt !== undefined) {
    return { userIds: [], problem: { problem: 'plus-one-withdrawn' }, threadTs };
  }
  if (original.giverId === reactorId) return { userIds: [], problem: { problem: 'own-kudos' }, threadTs };
  const userIds = original.recipientIds.filter((id) => id !== reactorId);
  if (userIds.length === 0) return { userIds, problem: { problem: 'plus-one-only-you' }, threadTs };
  return { userIds, threadTs };
}

/**
 * The kudos reaction on an "A customer said…" card: the reactor thanks the colleagues the customer praised (less
 * themself), for that praise, under the same rules as any reaction kudos.
 */
export function plusOneOfPraise(
  card: { itemId: number; recipientIds: readonly string[] },
  reactorId: string,
): { userIds: string[]; problem?: KudosProblem; reason: string } {
  const userIds = card.recipientIds.filter((id) => id !== reactorId);
  const reason = `for the praise a customer gave (FB-${card.itemId})`;
  if (userIds.length === 0) return { userIds, problem: { problem: 'plus-one-only-you' }, reason };
  return { userIds, reason };
}
