import { z } from 'zod';
import type { OutboxSchemas, PayloadsOf } from '../slack/delivery/outbox-kinds.js';

/** The digest room's outbox kind: one manager's weekly DM, recorded as a run in the run log. */
export const digestOutbox = {
  'digest.manager_dm': z.object({ runId: z.number().int().positive() }),
} as const satisfies OutboxSchemas;

declare module '../slack/delivery/outbox-kinds.js' {
  interface OutboxPayloads extends PayloadsOf<typeof digestOutbox> {}
}
