import { z } from 'zod';
import type { OutboxSchemas, PayloadsOf } from '../slack/delivery/outbox-kinds.js';

/** The outcomes room's outbox kinds; the handlers are in `delivery-handlers.ts`. */
export const outcomesOutbox = {
  /** The follow-up DM to the reporter: asked, or its one reminder. */
  'outcomes.follow_up_dm': z.object({
    followUpId: z.number().int().positive(),
    step: z.enum(['ask', 'remind']),
  }),
  /** The reporter's DM when the department starts or stops waiting on the customer. */
  'outcomes.waiting_dm': z.object({
    itemId: z.number().int().positive(),
    eventId: z.number().int().positive(),
  }),
} as const satisfies OutboxSchemas;

declare module '../slack/delivery/outbox-kinds.js' {
  interface OutboxPayloads extends PayloadsOf<typeof outcomesOutbox> {}
}
