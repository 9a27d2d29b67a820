import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach } from 'vitest';
import { systemClock } from '../../src/clock.js';
import {
  createDelivery,
  type Delivery,
  type DeliveryHandler,
  type DeliveryOptions,
} from '../../src/slack/delivery/delivery.js';
import type { Db } from '../../src/store/db.js';
import { silentLogger, tempDatabase } from './temp-dir.js';
import './test-outbox-kind.js';

export const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * The delivery engine on a fresh migrated database for each test (no Slack behind it: the handlers given are
 * the whole delivery), stopped and the database removed after the test.
 */
export function deliveryLoopFixture(): {
  readonly db: Db;
  /** The engine, started. */
  start(handlers: Record<string, DeliveryHandler>, options?: Partial<DeliveryOptions>): Delivery;
} {
  let store: ReturnType<typeof tempDatabase> | undefined;
  let delivery: Delivery | undefined;
  beforeEach(() => {
    store = tempDatabase();
  });
  afterEach(async () => {
    await delivery?.stop(1000);
    delivery = undefined;
    store?.remove();
  });
  const db = () => {
    if (!store) throw new Error('only inside a test');
    return store.db;
  };
  return {
    get db() {
      return db();
    },
    start(handlers, options = {}) {
      delivery = createDelivery({
        db: db(),
        client: new WebClient('xoxb-unused', { slackApiUrl: 'http://127.0.0.1:9/api/' }),
        clock: systemClock,
        logger: silentLogger,
        handlers,
        ...options,
      });
      delivery.start();
      return delivery;
    },
  };
}

/** A call that stays under way until released (while a test counts what happens meanwhile). */
export function heldCall(): { underWay: Promise<void>; release(): void } {
  let release = () => {};
  const underWay = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { underWay, release };
}
