import type { z } from 'zod';
import type { CombinedContext, DeliveryContext, DeliveryHandler } from './delivery.js';

/**
 * Every outbox kind and the payload it carries, the way graphile-worker types its task list: the map starts
 * empty here, and each feature adds its own kinds in its `outbox.ts` by declaration merging:
 *
 *     export const kudosOutbox = { 'kudos.post': z.object({ kudosId: z.number() }) } as const satisfies OutboxSchemas;
 *     declare module '../slack/delivery/outbox-kinds.js' {
 *       interface OutboxPayloads extends PayloadsOf<typeof kudosOutbox> {}
 *     }
 *
 * so `enqueueOutbox(db, { kind: 'kudos.post', payload: … })` is checked by the compiler, and the feature's
 * handlers (`outboxHandlers`) receive the payload parsed by that one schema. See ARCHITECTURE.md, "An outbox kind".
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by each feature through declaration merging (above)
export interface OutboxPayloads {}

export type OutboxKind = keyof OutboxPayloads & string;

/** A feature's kinds: each kind's name (stored in the outbox table, never renamed) and its payload schema. */
export type OutboxSchemas = Record<string, z.ZodType>;

/** What `enqueueOutbox` accepts for each kind of a feature (the schema's input). */
export type PayloadsOf<S extends OutboxSchemas> = { [K in keyof S]: z.input<S[K]> };

/** One handler per kind of the feature, each given the payload its schema parsed. */
export type OutboxHandlers<S extends OutboxSchemas> = {
  [K in keyof S]: (payload: z.output<S[K]>, ctx: DeliveryContext) => Promise<void>;
};

/** For the kinds whose messages in one run may go together: the handler of several at once (`CombinedHandler`). */
export type CombinedOutboxHandlers<S extends OutboxSchemas> = {
  [K in keyof S]?: (
    items: readonly { outboxId: number; payload: z.output<S[K]> }[],
    ctx: CombinedContext,
  ) => Promise<void>;
};

/**
 * The delivery engine's handlers for a feature's kinds: each parses its payload with the kind's schema (a payload
 * that does not match throws, like any failed attempt) and calls the typed handler.
 */
export function outboxHandlers<S extends OutboxSchemas>(
  schemas: S,
  handlers: OutboxHandlers<S>,
  combined: CombinedOutboxHandlers<S> = {},
): Record<string, DeliveryHandler> {
  const wrapped: Record<string, DeliveryHandler> = {};
  for (const kind of Object.keys(schemas) as (keyof S & string)[]) {
    const schema = schemas[kind] as S[typeof kind];
    const handle = handlers[kind];
    const parse = (payload: unknown) => schema.parse(payload) as z.output<S[typeof kind]>;
    const handler: DeliveryHandler = async (payload, ctx) => handle(parse(payload), ctx);
    const together = combined[kind];
    if (together)
      handler.combine = async (items, ctx) =>
        together(
          items.map((item) => ({ outboxId: item.outboxId, payload: parse(item.payload) })),
          ctx,
        );
    wrapped[kind] = handler;
  }
  return wrapped;
}
