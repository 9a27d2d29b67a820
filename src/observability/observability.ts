import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Db } from '../store/db.js';
import { createAppMetrics } from './metrics.js';
import { createMetricsServer } from './metrics-server.js';
import { countRequests } from './request-metrics.js';

export type Observability = {
  /** Serve /metrics when METRICS_PORT is set; returns the port (undefined: no metrics endpoint). */
  start(): Promise<number | undefined>;
  stop(): Promise<void>;
  port(): number | undefined;
};

/** With `metricsPort` set: count requests and acks on the Bolt app, and serve /metrics on 127.0.0.1. */
export function createObservability(deps: {
  metricsPort: number | undefined;
  db: Db;
  app: App;
  logger: Logger;
}): Observability {
  if (deps.metricsPort === undefined) {
    return { start: async () => undefined, stop: async () => undefined, port: () => undefined };
  }
  const wanted = deps.metricsPort;
  const metrics = createAppMetrics({ db: deps.db });
  countRequests(deps.app, metrics);
  const server = createMetricsServer(metrics.registry);
  let port: number | undefined;
  return {
    async start() {
      port = await server.listen(wanted);
      deps.logger.info({ metricsPort: port }, 'metrics at http://127.0.0.1:%d/metrics', port);
      return port;
    },
    stop: () => server.close(),
    port: () => port,
  };
}
