import { z } from 'zod';
import type { OutboxSchemas, PayloadsOf } from '../slack/delivery/outbox-kinds.js';
import { KUDOS_SOURCES } from './types.js';

/** The outbox message that journals a reaction (`kudos.reaction_retry`): one per Slack event. */
export const reactionRetryKey = (eventId: string) => `reaction-retry:${eventId}`;

const kudosPayload = z.object({ kudosId: z.number().int().positive() });
const dmPayload = kudosPayload.extend({ recipientId: z.string().min(1) });
const giver = { giverId: z.string(), channelId: z.string().optional() };

/** Where a refusal or confirmation for the giver goes: ephemeral in a channel, or (no channel) a DM. */
const noticePayload = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('given'),
    ...giver,
    kudosId: z.number(),
    // Written with the kudos (queue.ts GivenNote); notices queued before that have none and read the kudos.
    recipientIds: z.array(z.string()).optional(),
    source: z.enum(KUDOS_SOURCES).optional(),
    left: z.number().int().nonnegative().optional(),
  }),
  z.object({ kind: z.literal('withdrawn'), ...giver, kudosId: z.number() }),
  z.object({ kind: z.literal('refused'), ...giver, problem: z.object({ problem: z.string() }).loose() }),
]);

/** A reaction that could not be handled when it arrived (Slack look-ups failing), kept to be handled again. */
const reactionRetryPayload = z.object({
  eventId: z.string(),
  teamId: z.string(),
  userId: z.string(),
  reaction: z.string(),
  itemUserId: z.string().optional(),
  channelId: z.string(),
  messageTs: z.string(),
  // Retries queued before event order was kept have none: the oldest possible, so any removal wins.
  eventTs: z.string().default('0'),
});

/** A `/kudos` stored before its people were looked up in Slack, to give once they are (`give-later.ts`). */
const laterGivePayload = z.object({
  sourceKey: z.string().min(1),
  source: z.enum(KUDOS_SOURCES),
  teamId: z.string(),
  giverId: z.string().min(1),
  userIds: z.array(z.string()),
  usergroupIds: z.array(z.string()),
  valueIds: z.array(z.string()),
  reason: z.string(),
  originChannelId: z.string().optional(),
  sourceChannelId: z.string().optional(),
  sourceMessageTs: z.string().optional(),
  sourceThreadTs: z.string().optional(),
  plusOneOf: z.number().optional(),
  requestedAt: z.number(),
  responseUrl: z.string().optional(),
});

/** The kudos room's outbox kinds and their payloads; the handlers are in `delivery-handlers.ts`. */
export const kudosOutbox = {
  'kudos.post': kudosPayload,
  'kudos.recipient_dm': dmPayload,
  'kudos.giver_notice': noticePayload,
  'kudos.withdrawn': kudosPayload,
  'kudos.withdrawn_dm': dmPayload,
  'kudos.reaction_retry': reactionRetryPayload,
  'kudos.give': laterGivePayload,
} as const satisfies OutboxSchemas;

declare module '../slack/delivery/outbox-kinds.js' {
  interface OutboxPayloads extends PayloadsOf<typeof kudosOutbox> {}
}
