import { z } from 'zod';
import type { OutboxSchemas, PayloadsOf } from '../slack/delivery/outbox-kinds.js';

/**
 * The themes room's outbox kind: a theme spiking this week, posted in its department's channel. The dedupe key
 * `theme-spike:<department>:<theme>:<week start>` makes it once per theme, department and week.
 */
export const themesOutbox = {
  'themes.spike': z.object({
    departmentId: z.string().min(1),
    channel: z.string().min(1),
    themeId: z.number().int().positive(),
    weekStart: z.number().int(),
    count: z.number().int().nonnegative(),
    baseline: z.number().nonnegative(),
    examples: z.array(z.string()).max(5),
  }),
} as const satisfies OutboxSchemas;

declare module '../slack/delivery/outbox-kinds.js' {
  interface OutboxPayloads extends PayloadsOf<typeof themesOutbox> {}
}
