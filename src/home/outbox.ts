import { z } from 'zod';
import type { OutboxSchemas, PayloadsOf } from '../slack/delivery/outbox-kinds.js';

/** The Home room's outbox kind: publish one person's App Home. */
export const homeOutbox = {
  'home.publish': z.object({ userId: z.string().min(1) }),
} as const satisfies OutboxSchemas;

declare module '../slack/delivery/outbox-kinds.js' {
  interface OutboxPayloads extends PayloadsOf<typeof homeOutbox> {}
}
