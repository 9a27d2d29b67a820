import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { Commands } from '../../src/slack/ids.js';
import { type Harness, startHarness } from '../support/app-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** One sample's value from Prometheus text, or undefined when the line is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics (METRICS_PORT)', () => {
  it('counts requests and acks by surface, the outbox and scheduled runs, on 127.0.0.1 only', async () => {
    h = await startHarness({ env: { metricsPort: 0 } });
    const port = h.loop.observability.port();
    expect(port).toBeGreaterThan(0);
    await h.rep.command(Commands.feedback, 'the invoice charged twice');
    await h.rep.command(Commands.feedback, 'the parcel never arrived');
    await h.loop.delivery.drain();
    await h.loop.scheduler.tick();

    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await res.text();
    const labels = (more: string) => `{${more},app="courtesy-loop"}`;
    expect(sample(text, `courtesy_loop_slack_requests_total${labels('surface="command"')}`)).toBe(2);
    expect(sample(text, `courtesy_loop_slack_acks_total${labels('surface="command"')}`)).toBe(2);
    // Each item: the department post and the reporter's receipt.
    expect(sample(text, `courtesy_loop_outbox_posts${labels('status="sent"')}`)).toBeGreaterThanOrEqual(2);
    expect(sample(text, `courtesy_loop_outbox_posts${labels('status="dead"')}`)).toBe(0);
    expect(sample(text, 'courtesy_loop_outbox_failing{app="courtesy-loop"}')).toBe(0);
    expect(text).toContain('# TYPE courtesy_loop_scheduled_runs gauge');

    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (outside) await expect(fetch(`http://${outside}:${port}/metrics`)).rejects.toThrow();
  });

  it('serves nothing without METRICS_PORT', async () => {
    h = await startHarness();
    expect(h.loop.observability.port()).toBeUndefined();
  });
});
