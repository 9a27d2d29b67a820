import { z } from 'zod';
import type { OutboxSchemas, PayloadsOf } from '../../src/slack/delivery/outbox-kinds.js';

/**
 * Outbox kinds that only the delivery engine's own tests queue ('k', a numbered payload, and 'k2', another kind
 * of the same shape), declared the way a room declares its kinds, so `enqueueOutbox` stays checked by the
 * compiler in those tests too.
 */
export const testOutbox = {
  k: z.object({ n: z.number() }),
  k2: z.object({ n: z.number() }),
} as const satisfies OutboxSchemas;

declare module '../../src/slack/delivery/outbox-kinds.js' {
  interface OutboxPayloads extends PayloadsOf<typeof testOutbox> {}
}
