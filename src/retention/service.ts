import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { OrgConfig } from '../config/org-schema.js';
import { giveWay } from '../jobs/give-way.js';
import type { Db } from '../store/db.js';
import { type Erasure, forgetCustomer, purgeCustomerDetails } from './customer-details.js';

/** Items removed per transaction by the minute tick (a few milliseconds each at a year of data). */
export const PURGE_SLICE = 500;
/** A tick's share of a long removal ends after this long; the next minute goes on (theme-work.ts does the same). */
const TICK_WALL_MS = 15_000;

export type PurgeOutcome = ({ kind: 'purged'; days: number } & Erasure) | { kind: 'not-configured' };
export type ForgetOutcome = Erasure & { found: boolean };

export type RetentionService = {
  /**
   * The minute tick: remove what is past `retention.customer_details_days` (nothing when it is not set), in
   * transactions of PURGE_SLICE items with the event loop free between them, waiting for Slack requests, for at
   * most `tickWallMs` (the rest at the next minute, so later tasks, ticks and a shutdown never wait on it).
   */
  runDue(now: number): Promise<Erasure>;
  /** `/loop purge`: the same, now, recorded as asked by `by`. */
  purgeNow(by: string): PurgeOutcome;
  /** `/loop forget NAME`, `npm run forget`: erase one customer's details, recorded as asked by `by`. */
  forget(name: string, by: string): ForgetOutcome;
};

export function createRetentionService(deps: {
  db: Db;
  clock: Clock;
  config: () => OrgConfig;
  logger: Logger;
  /** Called after customer words were erased, so nothing keeps them in memory (the similar-report cache). */
  onErased: () => void;
  /** Slack requests being answered now: the slices of a long removal wait for them. */
  requestsInFlight?: () => number;
  /** How long one minute's removal may go on (default TICK_WALL_MS; tests shorten it). */
  tickWallMs?: number;
}): RetentionService {
  const log = deps.logger.child({ module: 'retention' });
  const erased = (removed: Erasure, days: number, by: string) => {
    if (removed.items === 0 && removed.customers === 0) return;
    deps.onErased();
    log.info({ ...removed, days, by }, 'customer details removed');
  };
  /** One transaction; `report: false` leaves the memory upkeep and the log line to the caller (once per run). */
  const purge = (
    now: number,
    by: string,
    limit?: number,
    report = true,
  ): PurgeOutcome & { more?: boolean } => {
    const days = deps.config().retention.customer_details_days;
    if (days === undefined) return { kind: 'not-configured' };
    const { more, ...removed } = purgeCustomerDetails(deps.db, {
      days,
      now,
      by,
      ...(limit ? { limit } : {}),
    });
    if (report) erased(removed, days, by);
    return { kind: 'purged', days, ...removed, more };
  };
  return {
    runDue: async (now) => {
      // Forgetting the erased words in memory reloads the theme model: once per run, not once per slice.
      const total = { items: 0, customers: 0 };
      const until = performance.now() + (deps.tickWallMs ?? TICK_WALL_MS);
      let days = 0;
      for (;;) {
        const outcome = purge(now, 'schedule', PURGE_SLICE, false);
        if (outcome.kind === 'purged') {
          days = outcome.days;
          total.items += outcome.items;
          total.customers += outcome.customers;
        }
        if (outcome.kind !== 'purged' || !outcome.more || performance.now() >= until) {
          erased(total, days, 'schedule');
          return total;
        }
        await giveWay(deps.requestsInFlight);
      }
    },
    purgeNow: (by) => purge(deps.clock.now(), by),
    forget: (name, by) => {
      const outcome = forgetCustomer(deps.db, { name, now: deps.clock.now(), by });
      if (outcome.items > 0) deps.onErased();
      log.info({ items: outcome.items, customers: outcome.customers, by }, 'customer forgotten on request');
      return outcome;
    },
  };
}
