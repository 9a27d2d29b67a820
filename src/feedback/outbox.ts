import { z } from 'zod';
import type { OutboxSchemas, PayloadsOf } from '../slack/delivery/outbox-kinds.js';

const itemPayload = z.object({ itemId: z.number().int().positive() });
const eventPayload = itemPayload.extend({ eventId: z.number().int().positive() });
const escalationPayload = itemPayload.extend({
  key: z.string(),
  kind: z.enum(['acknowledge', 'resolve']),
  level: z.enum(['leads', 'triage']),
  dueAt: z.number(),
  at: z.number(),
  userId: z.string().optional(),
});

/** The feedback room's outbox kinds and their payloads; the handlers are in `delivery-handlers.ts`. */
export const feedbackOutbox = {
  'feedback.department_post': itemPayload,
  'feedback.receipt_dm': itemPayload,
  'feedback.post_update': itemPayload,
  'feedback.thread_note': eventPayload,
  'feedback.status_dm': eventPayload,
  'feedback.moved_notice': eventPayload.extend({ channel: z.string().min(1), ts: z.string().min(1) }),
  'feedback.escalation_dm': escalationPayload,
  'feedback.escalation_triage': escalationPayload,
} as const satisfies OutboxSchemas;

declare module '../slack/delivery/outbox-kinds.js' {
  interface OutboxPayloads extends PayloadsOf<typeof feedbackOutbox> {}
}
