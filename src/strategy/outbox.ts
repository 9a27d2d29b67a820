import { z } from 'zod';
import type { OutboxSchemas, PayloadsOf } from '../slack/delivery/outbox-kinds.js';

/** The strategy room's outbox kind: one team reminder, recorded as a run in the run log. */
export const strategyOutbox = {
  'strategy.reminder': z.object({ runId: z.number().int().positive() }),
} as const satisfies OutboxSchemas;

declare module '../slack/delivery/outbox-kinds.js' {
  interface OutboxPayloads extends PayloadsOf<typeof strategyOutbox> {}
}
