/**
 * Requests at a fixed pace, open loop: one due every 1000/rate ms whether or not the earlier ones were answered,
 * each timed from the moment it is handed to the HTTP agent to its answer's end, in microseconds (a request that
 * finds every socket busy waits in the agent's queue, and that wait counts).
 *
 * Why not autocannon's `overallRate`: autocannon (9.0) gives each connection its share of the rate and lets it
 * send that share back to back at the start of every second, then wait for the next second. Measured against a
 * bare server at 200 requests/s over 10 connections, 1,730 of 2,021 requests arrived in the first 100 ms of their
 * second and none in the 800 ms after: a burst at flat-out speed, not a fixed rate. With a rate it also corrects
 * for coordinated omission with an expected interval of `Math.ceil(1 / rate)` = 1 ms, so an answer of 19 ms is
 * recorded as 19 answers of 1-19 ms; the same bare server's p99 read 19 ms that way and 5 ms without it. And its
 * latencies are whole milliseconds, too coarse for a ratio of answers that take one or two.
 *
 * Open loop needs no such correction: a request is handed over when it is due even while others wait, so a server
 * that stalls is charged for every request that came due during the stall. The generator's own lateness (its
 * event loop held) is not charged to the server; it is reported (`maxLateMs`) beside the figures.
 */
import http from 'node:http';
import * as hdr from 'hdr-histogram-js';

export type PacedRequest = { body: string; headers: Record<string, string> };

export type PacedSpec = {
  url: string;
  /** Requests per second. */
  rate: number;
  seconds: number;
  /** Most sockets open at once (kept alive between requests). */
  sockets: number;
  /** A request unanswered this long is cut and counted as a timeout (and an error, as autocannon counts it). */
  timeoutMs?: number;
  /** The n-th request (from 0). */
  request: (n: number) => PacedRequest;
};

export type PacedResult = {
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Milliseconds, to the microsecond. */
  p50: number;
  p99: number;
  max: number;
  /** The most a request was handed over after it was due (ms): the generator's own lateness. */
  maxLateMs: number;
};

const TIMEOUT_MS = 10_000;

/** How many requests fall due in `seconds` at `rate` (one at 0, then every 1000/rate ms); at least one. */
export function pacedCount(rate: number, seconds: number): number {
  const total = Math.ceil(rate * seconds);
  if (!(total >= 1))
    throw new Error(`a paced load of ${String(rate)}/s for ${String(seconds)} s sends nothing`);
  return total;
}

export async function runPaced(spec: PacedSpec): Promise<PacedResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.sockets });
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
  const result = { sent: 0, ok: 0, non2xx: 0, errors: 0, timeouts: 0, maxLateMs: 0 };
  const intervalMs = 1000 / spec.rate;
  const total = pacedCount(spec.rate, spec.seconds);
  const { hostname, port, pathname, search } = new URL(spec.url);
  let answered = 0;
  let allAnswered: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    allAnswered = resolve;
  });

  const send = (n: number) => {
    const { body, headers } = spec.request(n);
    let sentAt = 0;
    let settled = false;
    /** Each request is counted once, however it ends (an answer, an error, a timeout, an error after one). */
    const settle = (outcome: 'ok' | 'non2xx' | 'errors' | 'timeouts') => {
      if (settled) return;
      settled = true;
      if (outcome === 'ok')
        histogram.recordValue(Math.max(1, Math.round((performance.now() - sentAt) * 1000)));
      result[outcome] += 1;
      if (outcome === 'timeouts') result.errors += 1;
      answered += 1;
      if (answered === total) allAnswered();
    };
    const req = http.request(
      {
        agent,
        hostname,
        port,
        path: pathname + search,
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: spec.timeoutMs ?? TIMEOUT_MS,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          settle(status >= 200 && status < 300 ? 'ok' : 'non2xx');
        });
        res.on('error', () => settle('errors'));
      },
    );
    req.on('timeout', () => {
      settle('timeouts');
      req.destroy();
    });
    req.on('error', () => settle('errors'));
    sentAt = performance.now();
    req.end(body);
    result.sent += 1;
  };

  const start = performance.now();
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * intervalMs <= now) {
        result.maxLateMs = Math.max(result.maxLateMs, now - (start + next * intervalMs));
        send(next);
        next += 1;
      }
      if (next >= total) return resolve();
      setTimeout(tick, Math.max(0, start + next * intervalMs - performance.now()));
    };
    tick();
  });
  await done;
  agent.destroy();
  const ms = (us: number) => Math.round(us) / 1000;
  const summary = {
    ...result,
    p50: ms(histogram.getValueAtPercentile(50)),
    p99: ms(histogram.getValueAtPercentile(99)),
    max: ms(histogram.maxValue),
    maxLateMs: Math.round(result.maxLateMs * 1000) / 1000,
  };
  histogram.destroy();
  return summary;
}
