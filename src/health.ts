import type { TickStats } from './jobs/scheduler.js';
import type { Delivery } from './slack/delivery/delivery.js';
import { problemAdvice } from './slack/delivery/problem-notes.js';
import type { Db } from './store/db.js';
import { stmt } from './store/statements.js';

export type HealthReport = {
  /** False only when a restart would help (503); a degraded app is still up (200). */
  ok: boolean;
  details: { status: 'ok' | 'degraded' | 'unhealthy'; reasons: string[]; [key: string]: unknown };
};

/**
 * GET /healthz: 503 only when the database is unusable (or the app is stopping); a refused token, Slack out of
 * reach or deliveries that could not be made answer 200 with `"status": "degraded"` and the reasons.
 */
export function checkHealth(deps: {
  db: Db;
  delivery: Pick<Delivery, 'health'>;
  stopping: boolean;
  /** Socket Mode: whether the WebSocket to Slack is open (undefined in HTTP mode). */
  socketConnected?: boolean | undefined;
  /** What the last scheduled tick cost, including the longest event-loop pause it caused. */
  lastTick?: () => TickStats | undefined;
}): HealthReport {
  if (deps.stopping) return { ok: false, details: { status: 'unhealthy', reasons: ['shutting down'] } };
  if (deps.socketConnected === false) {
    return {
      ok: false,
      details: { status: 'unhealthy', reasons: ['Socket Mode is not connected to Slack'] },
    };
  }
  let delivery: ReturnType<Delivery['health']>;
  try {
    stmt(deps.db, 'SELECT 1').get();
    delivery = deps.delivery.health();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, details: { status: 'unhealthy', reasons: [`database unusable: ${message}`] } };
  }
  const reasons: string[] = [];
  if (delivery.tokenRefused !== undefined) {
    reasons.push(
      `Slack refuses the bot token (${delivery.tokenRefused}): ${problemAdvice(delivery.tokenRefused, undefined)}`,
    );
  }
  if (delivery.slackUnreachable) reasons.push('Slack cannot be reached; deliveries wait and retry');
  for (const p of delivery.problems) {
    if (p.cause.startsWith('token:')) continue;
    reasons.push(`${p.count} delivery failure(s): ${p.code}${p.channel ? ` in ${p.channel}` : ''}`);
  }
  return {
    ok: true,
    details: {
      status: reasons.length > 0 ? 'degraded' : 'ok',
      reasons,
      outbox: delivery.outbox,
      ...(deps.lastTick?.() ? { lastTick: deps.lastTick() } : {}),
    },
  };
}
