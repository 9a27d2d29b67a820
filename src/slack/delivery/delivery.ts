import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Db } from '../../store/db.js';
import {
  countOutbox,
  listDueOutbox,
  markOutboxDead,
  markOutboxSent,
  nextOutboxDueAt,
  type OutboxCounts,
  type OutboxEntry,
  rescheduleOutbox,
} from './outbox-repo.js';
import { classifySlackFailure } from './slack-errors.js';

export type DeliveryContext = { client: WebClient; db: Db; clock: Clock; logger: Logger };

/** Performs one kind of outbox message. It must be safe to run again after a crash (check before re-posting). */
export type DeliveryHandler = (payload: unknown, ctx: DeliveryContext) => Promise<void>;

export type DeliveryOptions = {
  db: Db;
  client: WebClient;
  clock: Clock;
  logger: Logger;
  handlers: Record<string, DeliveryHandler>;
  /** How many posts run at once. Slack allows short bursts; per-channel pacing is Slack's 429 to tell us. */
  concurrency?: number;
  /** First retry delay after a transient failure; doubles each attempt up to maxDelayMs. */
  retryBaseMs?: number;
  maxDelayMs?: number;
  maxAttempts?: number;
  /** How often to look for due work even if nobody kicked us (covers retries and restarts). */
  pollMs?: number;
};

export type Delivery = {
  /** Look for due work now (called after a commit that queued something). */
  kick(): void;
  start(): void;
  /** Stop taking new work and wait up to drainMs for posts under way. */
  stop(drainMs?: number): Promise<void>;
  /** Deliver everything that is due, and wait for it (tests and shutdown use it). */
  drain(): Promise<void>;
  counts(): OutboxCounts;
};

export function createDelivery(options: DeliveryOptions): Delivery {
  const { db, client, clock, handlers } = options;
  const logger = options.logger.child({ module: 'delivery' });
  const concurrency = options.concurrency ?? 4;
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 10 * 60_000;
  const maxAttempts = options.maxAttempts ?? 15;
  const pollMs = options.pollMs ?? 1000;

  const inFlight = new Map<number, Promise<void>>();
  let pausedUntil = 0;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let pumping = false;
  let pumpAgain = false;

  async function deliverOne(entry: OutboxEntry): Promise<void> {
    const handler = handlers[entry.kind];
    const log = logger.child({ outboxId: entry.id, kind: entry.kind });
    if (!handler) {
      markOutboxDead(db, entry.id, `no handler for kind ${entry.kind}`, clock.now());
      log.error('outbox message has no handler; parked as dead');
      return;
    }
    try {
      await handler(entry.payload, { client, db, clock, logger: log });
      markOutboxSent(db, entry.id, clock.now());
      log.debug('delivered');
    } catch (error) {
      const failure = classifySlackFailure(error);
      const now = clock.now();
      if (failure.kind === 'rate-limited') {
        pausedUntil = Math.max(pausedUntil, now + failure.retryAfterMs);
        rescheduleOutbox(db, entry.id, now + failure.retryAfterMs, 'ratelimited', false);
        log.warn({ retryAfterMs: failure.retryAfterMs }, 'Slack rate limit; waiting as Retry-After asks');
      } else if (failure.kind === 'permanent' || entry.attempts + 1 >= maxAttempts) {
        markOutboxDead(db, entry.id, failure.reason, now);
        log.error(
          { reason: failure.reason, attempts: entry.attempts + 1 },
          'delivery failed for good; parked as dead',
        );
      } else {
        const delay = Math.min(maxDelayMs, retryBaseMs * 2 ** entry.attempts);
        const jitter = Math.floor(Math.random() * Math.min(1000, delay / 4));
        rescheduleOutbox(db, entry.id, now + delay + jitter, failure.reason, true);
        log.warn({ reason: failure.reason, retryInMs: delay + jitter }, 'delivery failed; will retry');
      }
    }
  }

  /** Fill free slots with due entries until nothing is due. One pump at a time. */
  async function pump(): Promise<void> {
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        pumpAgain = false;
        while (clock.now() >= pausedUntil) {
          const free = concurrency - inFlight.size;
          if (free <= 0) {
            await Promise.race(inFlight.values());
            continue;
          }
          const due = listDueOutbox(db, clock.now(), free, [...inFlight.keys()]);
          if (due.length === 0) break;
          for (const entry of due) {
            const p = deliverOne(entry).finally(() => inFlight.delete(entry.id));
            inFlight.set(entry.id, p);
          }
        }
      } while (pumpAgain);
    } finally {
      pumping = false;
    }
  }

  function schedule(): void {
    if (!running) return;
    clearTimeout(timer);
    const due = nextOutboxDueAt(db);
    const now = clock.now();
    const at = Math.max(due ?? now + pollMs, pausedUntil);
    timer = setTimeout(tick, Math.max(0, Math.min(pollMs, at - now)));
    timer.unref();
  }

  function tick(): void {
    pump()
      .catch((error: unknown) => logger.error({ err: error }, 'delivery loop failed'))
      .finally(schedule);
  }

  return {
    kick() {
      if (running) setImmediate(tick);
    },
    start() {
      if (running) return;
      running = true;
      tick();
    },
    async stop(drainMs = 5000) {
      running = false;
      clearTimeout(timer);
      if (inFlight.size === 0) return;
      await Promise.race([
        Promise.allSettled([...inFlight.values()]),
        new Promise((resolve) => setTimeout(resolve, drainMs).unref()),
      ]);
    },
    async drain() {
      for (;;) {
        await pump();
        await Promise.allSettled([...inFlight.values()]);
        const due = nextOutboxDueAt(db);
        if (inFlight.size === 0 && (due === undefined || due > clock.now() || clock.now() < pausedUntil))
          return;
      }
    },
    counts: () => countOutbox(db),
  };
}
