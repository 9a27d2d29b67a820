import { z } from 'zod';
import type { OutboxSchemas, PayloadsOf } from '../../src/slack/delivery/outbox-kinds.js';

/**
 * An outbox kind that only the delivery engine's own tests queue ('k', a numbered payload), declared the way
 * a room declares its kinds, so `enqueueOutbox` stays checked by the compiler in those tests too.
 */
export const testOutbox = { k: z.object({ n: z.number() }) } as const satisfies OutboxSchemas;

declare module '../../src/slack/delivery/outbox-kinds.js' {
  interface OutboxPayloads extends PayloadsOf<typeof testOutbox> {}
}
