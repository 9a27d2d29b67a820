import { z } from 'zod';
import { type OutboxSchemas, outboxHandlers, type PayloadsOf } from './outbox-kinds.js';

/** A DM to one admin with a text already written: the delivery engine's own kind (problems, failed reminders). */
export const adminAlertOutbox = {
  'admin.alert_dm': z.object({ userId: z.string().min(1), text: z.string().min(1) }),
} as const satisfies OutboxSchemas;

declare module './outbox-kinds.js' {
  interface OutboxPayloads extends PayloadsOf<typeof adminAlertOutbox> {}
}

export const adminAlertHandlers = outboxHandlers(adminAlertOutbox, {
  'admin.alert_dm': async ({ userId, text }, { post }) => {
    await post({ channel: userId, text });
  },
});
