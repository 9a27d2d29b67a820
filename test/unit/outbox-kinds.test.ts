import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DeliveryContext } from '../../src/slack/delivery/delivery.js';
import { outboxHandlers } from '../../src/slack/delivery/outbox-kinds.js';
import { enqueueOutbox, listDueOutbox } from '../../src/slack/delivery/outbox-repo.js';
import { tempDatabase } from '../support/temp-dir.js';

const ctx = {} as DeliveryContext;

describe('typed outbox kinds', () => {
  it('hands each handler the payload its kind parsed, defaults applied', async () => {
    const seen: unknown[] = [];
    const handlers = outboxHandlers(
      { 'test.kind': z.object({ n: z.number(), tag: z.string().default('none') }) },
      {
        'test.kind': async (payload) => {
          seen.push(payload);
        },
      },
    );
    await handlers['test.kind']?.({ n: 1 }, ctx);
    expect(seen).toEqual([{ n: 1, tag: 'none' }]);
  });

  it('refuses a stored payload that does not match its kind, before the handler runs', async () => {
    let ran = false;
    const handlers = outboxHandlers(
      { 'test.kind': z.object({ n: z.number() }) },
      {
        'test.kind': async () => {
          ran = true;
        },
      },
    );
    await expect(handlers['test.kind']?.({ n: 'one' }, ctx)).rejects.toThrow();
    expect(ran).toBe(false);
  });

  it('checks enqueue against the kind -> payload map at compile time (npm test type-checks this file)', () => {
    const store = tempDatabase();
    try {
      const { db } = store;
      enqueueOutbox(db, { kind: 'home.publish', payload: { userId: 'U1' }, dedupeKey: 'a' }, 1);
      // @ts-expect-error: a kind nobody declared
      enqueueOutbox(db, { kind: 'home.publsh', payload: { userId: 'U1' }, dedupeKey: 'b' }, 1);
      // @ts-expect-error: the payload of another kind
      enqueueOutbox(db, { kind: 'kudos.post', payload: { userId: 'U1' }, dedupeKey: 'c' }, 1);
      expect(listDueOutbox(db, 1, 10, []).map((e) => e.kind)).toEqual([
        'home.publish',
        'home.publsh',
        'kudos.post',
      ]);
    } finally {
      store.remove();
    }
  });
});
