import type { WebClient } from '@slack/web-api';

/** The metadata event type every outbox post carries, with the outbox id and the post's step in its handler. */
export const DELIVERY_EVENT_TYPE = 'courtesy_loop_delivery';

/**
 * `covers`: when one post delivers several outbox messages (a combined delivery, runs.ts), their ids. Each of
 * them, tried again alone after an attempt whose outcome is unknown, finds the post by its id there.
 */
export type DeliveryMark = { outboxId: number; step: number; covers?: readonly number[] | undefined };

export const deliveryMetadata = (mark: DeliveryMark) => ({
  event_type: DELIVERY_EVENT_TYPE,
  event_payload: {
    outbox_id: mark.outboxId,
    step: mark.step,
    // As text ("5,6,7"): the typed payload takes strings, numbers, booleans and objects.
    ...(mark.covers ? { covers: mark.covers.join(',') } : {}),
  },
});

type HistoryMessage = {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
};

/**
 * The post of this message's step; or, for a message delivered together with others (its one post, step 0),
 * the post whose `covers` names it.
 */
function isMark(m: HistoryMessage, mark: DeliveryMark): boolean {
  if (m.metadata?.event_type !== DELIVERY_EVENT_TYPE) return false;
  const payload = m.metadata.event_payload;
  const covers = payload?.covers;
  if (typeof covers === 'string')
    return mark.step === 0 && covers.split(',').some((id) => Number(id) === mark.outboxId);
  return Number(payload?.outbox_id) === mark.outboxId && Number(payload?.step) === mark.step;
}

/** Slack's clock and ours may differ a little: look this far before the attempt started. */
const CLOCK_MARGIN_MS = 5 * 60_000;
/** Messages in one conversation wait for each other, so few land after an unknown attempt; pages bound it. */
const MAX_PAGES = 10;

/**
 * After an attempt whose outcome is unknown (the process was killed, or the call timed out), whether Slack
 * already has the post: the conversation's history since the attempt (a thread's replies for thread posts)
 * is searched for the outbox id in the message metadata. Needs channels:history, groups:history, im:history.
 */
export async function findPosted(
  client: WebClient,
  target: { channel: string; threadTs?: string | undefined },
  mark: DeliveryMark,
  since: number,
): Promise<{ channel: string; ts: string } | undefined> {
  let channel = target.channel;
  if (/^[UW][A-Z0-9]+$/.test(channel)) {
    const opened = await client.conversations.open({ users: channel });
    if (!opened.channel?.id) return undefined;
    channel = opened.channel.id;
  }
  const oldest = ((since - CLOCK_MARGIN_MS) / 1000).toFixed(6);
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const common = { channel, oldest, limit: 200, include_all_metadata: true, ...(cursor ? { cursor } : {}) };
    const result = target.threadTs
      ? await client.conversations.replies({ ...common, ts: target.threadTs })
      : await client.conversations.history(common);
    const found = (result.messages as HistoryMessage[] | undefined)?.find((m) => isMark(m, mark));
    if (found?.ts) return { channel, ts: found.ts };
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor) return undefined;
  }
  return undefined;
}
