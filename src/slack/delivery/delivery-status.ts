import type { OrgConfig } from '../../config/org-schema.js';
import type { Db } from '../../store/db.js';
import type { Delivery, DeliverySettings } from './delivery.js';
import { type OutboxCounts, type ParkedSummary, summarizeParkedOutbox } from './outbox-repo.js';
import type { DeliveryProblem } from './problems-repo.js';

/** The org config's `delivery` section as the engine reads it. */
export function deliverySettings(config: OrgConfig): DeliverySettings {
  const d = config.delivery;
  return {
    retryWindowMs: d.retry_hours * 3_600_000,
    pacing: {
      perKeyIntervalMs: d.per_channel_interval_ms,
      perKeyBurst: d.per_channel_burst,
      maxPerSecond: d.max_per_second,
    },
  };
}

/** What `/loop status` shows about Slack deliveries. */
export type DeliveryStatus = {
  outbox: OutboxCounts;
  parked: ParkedSummary[];
  problems: DeliveryProblem[];
  tokenRefused: string | undefined;
  slackUnreachable: boolean;
};

export function deliveryStatus(db: Db, delivery: Pick<Delivery, 'health'>): DeliveryStatus {
  const health = delivery.health();
  return {
    outbox: health.outbox,
    parked: summarizeParkedOutbox(db),
    problems: health.problems,
    tokenRefused: health.tokenRefused,
    slackUnreachable: health.slackUnreachable,
  };
}
