/**
 * Ordering keys for posts that need order only among themselves, not with everything else in their channel.
 *
 * The outbox sends one message at a time per ordering key, in queue order. For a department channel that is the
 * promise (its items appear in filing order, and an item's history follows it). Kudos posts in the kudos
 * channel are independent of each other: what must stay in order is one kudos's post and what later changes it
 * (withdrawn). Sent one at a time, a burst of thousands of reactions took ~43 s to post with pacing off. So they
 * go in one of LANES lanes of the channel, by kudos: lanes go out side by side, each in order, and every lane is
 * paced as the one channel it posts in (Slack's limit is per channel), so the channel's pace is unchanged.
 * Twelve, with as many calls at once (`delivery.ts`): with eight, the app waited on Slack's answers for a fifth
 * of a reaction storm's drain.
 */
export const LANES = 12;

const SEPARATOR = '~';

/** The ordering key of a post about `subject` (a kudos id) in `conversation`: one of the conversation's lanes. */
export function laneOf(conversation: string, subject: number): string {
  return `${conversation}${SEPARATOR}${subject % LANES}`;
}

/** The conversation an ordering key posts in (itself, unless it is a lane): what pacing and reports name. */
export function conversationOf(orderingKey: string): string;
export function conversationOf(orderingKey: string | undefined): string | undefined;
export function conversationOf(orderingKey: string | undefined): string | undefined {
  if (orderingKey === undefined) return undefined;
  const at = orderingKey.indexOf(SEPARATOR);
  return at < 0 ? orderingKey : orderingKey.slice(0, at);
}
