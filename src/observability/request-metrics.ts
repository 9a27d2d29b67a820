import type { App, ReceiverEvent } from '@slack/bolt';
import { type AppMetrics, surfaceOf } from './metrics.js';

/**
 * Count every request Bolt processes and every ack, by surface, in both receivers: the receiver hands each
 * request to `app.processEvent` with the `ack` that answers Slack, so wrapping it there sees both, whatever
 * listener (or none) handles the request.
 */
export function countRequests(app: App, metrics: AppMetrics): void {
  const process = app.processEvent.bind(app);
  app.processEvent = (event: ReceiverEvent) => {
    const surface = surfaceOf(event.body);
    metrics.requestReceived(surface);
    let acked = false;
    const ack: ReceiverEvent['ack'] = (response) => {
      if (!acked) {
        acked = true;
        metrics.acked(surface);
      }
      return event.ack(response);
    };
    return process({ ...event, ack });
  };
}
