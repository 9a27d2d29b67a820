import { z } from 'zod';
import type { OutboxSchemas, PayloadsOf } from '../slack/delivery/outbox-kinds.js';

const itemPayload = z.object({ itemId: z.number().int().positive() });

/** The loops room's outbox kinds and their payloads; the handlers are in `praise-delivery.ts`. */
export const loopsOutbox = {
  /** Look up the people a praise item names and record the customer praise of those who are people. */
  'praise.record': itemPayload,
  /** The "A customer said…" card in the kudos channel. */
  'praise.card': itemPayload,
  /** The DM to one colleague the customer praised. */
  'praise.dm': itemPayload.extend({ recipientId: z.string().min(1) }),
} as const satisfies OutboxSchemas;

declare module '../slack/delivery/outbox-kinds.js' {
  interface OutboxPayloads extends PayloadsOf<typeof loopsOutbox> {}
}
