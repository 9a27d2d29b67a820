import { z } from 'zod';
import type { OutboxSchemas, PayloadsOf } from '../slack/delivery/outbox-kinds.js';

const answered = z.object({ requestId: z.number().int().positive() });

/** The survey room's outbox kinds: what follows an answer. Handlers are in `delivery-handlers.ts`. */
export const surveyOutbox = {
  /** Every answer, to the reporter (with the comment). */
  'survey.reporter_dm': answered,
  /** A score of 1 or 2, with the comment, in the item's thread in the department channel. */
  'survey.thread_note': answered,
  /** A score of 1 or 2, to one lead of the department: the score and a link, never the comment. */
  'survey.lead_dm': answered.extend({ leadId: z.string().min(1) }),
} as const satisfies OutboxSchemas;

declare module '../slack/delivery/outbox-kinds.js' {
  interface OutboxPayloads extends PayloadsOf<typeof surveyOutbox> {}
}
