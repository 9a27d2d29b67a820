import { Counter, Gauge, Registry } from 'prom-client';
import { countOutbox } from '../slack/delivery/outbox-repo.js';
import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';

/**
 * What `/metrics` shows, in Prometheus text format (prom-client): Slack requests and acks by surface (counted
 * as they happen), and the outbox and scheduled runs (read from the database when Prometheus scrapes, so they
 * are true across restarts and never drift from what `/loop status` says).
 */
export type Surface = 'command' | 'action' | 'view' | 'shortcut' | 'options' | 'event' | 'other';

export type AppMetrics = {
  registry: Registry;
  requestReceived(surface: Surface): void;
  acked(surface: Surface): void;
};

export function createAppMetrics(deps: { db: Db }): AppMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ app: 'courtesy-loop' });
  const requests = new Counter({
    name: 'courtesy_loop_slack_requests_total',
    help: 'Requests from Slack that reached the app (signed and well formed), by surface.',
    labelNames: ['surface'],
    registers: [registry],
  });
  const acks = new Counter({
    name: 'courtesy_loop_slack_acks_total',
    help: 'Requests the app acknowledged to Slack, by surface.',
    labelNames: ['surface'],
    registers: [registry],
  });
  new Gauge({
    name: 'courtesy_loop_outbox_posts',
    help: 'Slack posts in the durable outbox, by status: pending (waiting or retrying), sent, dead (parked).',
    labelNames: ['status'],
    registers: [registry],
    collect() {
      for (const [status, n] of Object.entries(countOutbox(deps.db))) this.set({ status }, n);
    },
  });
  new Gauge({
    name: 'courtesy_loop_outbox_failing',
    help: 'Pending Slack posts whose last attempt failed (being retried).',
    registers: [registry],
    collect() {
      const n = stmt(
        deps.db,
        "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND last_error IS NOT NULL",
      )
        .pluck()
        .get() as number;
      this.set(n);
    },
  });
  new Gauge({
    name: 'courtesy_loop_scheduled_runs',
    help: 'Scheduled runs recorded (team reminders, manager digests), by job and outcome (queued, skipped, failed).',
    labelNames: ['job', 'status'],
    registers: [registry],
    collect() {
      const rows = stmt(
        deps.db,
        'SELECT job, status, COUNT(*) AS n FROM job_runs GROUP BY job, status',
      ).all() as { job: string; status: string; n: number }[];
      this.reset();
      for (const r of rows) this.set({ job: r.job, status: r.status }, r.n);
    },
  });
  return {
    registry,
    requestReceived: (surface) => requests.inc({ surface }),
    acked: (surface) => acks.inc({ surface }),
  };
}

/** Which Slack surface a request body is (Bolt's receiver event body). */
export function surfaceOf(body: unknown): Surface {
  const b = (body ?? {}) as { command?: unknown; type?: unknown };
  if (typeof b.command === 'string') return 'command';
  switch (b.type) {
    case 'block_actions':
    case 'interactive_message':
      return 'action';
    case 'view_submission':
    case 'view_closed':
      return 'view';
    case 'shortcut':
    case 'message_action':
      return 'shortcut';
    case 'block_suggestion':
      return 'options';
    case 'event_callback':
      return 'event';
    default:
      return 'other';
  }
}
