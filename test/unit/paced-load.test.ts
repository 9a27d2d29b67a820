import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pacedCount, runPaced } from '../../scripts/bench/paced-load.js';

/**
 * The benchmark's fixed rate (scripts/bench/paced-load.ts): requests evenly spaced and sent whatever the answers,
 * not autocannon's burst at the start of every second. Counts, not timings, are checked: the slices below are
 * wide enough for a busy machine, and a burst fills one of them many times over.
 */
let server: http.Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(answer: (n: number, res: http.ServerResponse) => void) {
  const arrivals: number[] = [];
  server = http.createServer((req, res) => {
    arrivals.push(performance.now());
    const n = arrivals.length - 1;
    req.resume();
    req.on('end', () => answer(n, res));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${String(port)}/slack/events`, arrivals };
}

const request = (n: number) => ({ body: `n=${String(n)}`, headers: { 'content-type': 'text/plain' } });

/** How many arrivals fall in each 100 ms slice after the first. */
function perSlice(arrivals: readonly number[], slices: number): number[] {
  const counts = new Array<number>(slices).fill(0);
  const first = arrivals[0] ?? 0;
  for (const t of arrivals) {
    const slice = Math.min(slices - 1, Math.floor((t - first) / 100));
    counts[slice] = (counts[slice] ?? 0) + 1;
  }
  return counts;
}

describe('the benchmark fixed rate', () => {
  it('spreads 200 requests a second evenly: no tenth of the second takes a burst', async () => {
    const { url, arrivals } = await serve((_n, res) => res.end('ok'));
    const result = await runPaced({ url, rate: 200, seconds: 1, sockets: 10, request });
    expect(result).toMatchObject({ sent: 200, ok: 200, non2xx: 0, errors: 0, timeouts: 0 });
    expect(arrivals).toHaveLength(200);
    // Even pacing puts 20 in each slice; autocannon's overallRate put nearly all of a second in its first slice.
    for (const count of perSlice(arrivals, 10)) expect(count).toBeLessThanOrEqual(50);
    expect(result.p50).toBeGreaterThan(0);
    expect(result.p99).toBeGreaterThanOrEqual(result.p50);
    expect(result.max).toBeGreaterThanOrEqual(result.p99);
  });

  it('keeps sending while an answer is late (open loop), and charges the wait to the server', async () => {
    const { url, arrivals } = await serve((n, res) => {
      if (n === 0) setTimeout(() => res.end('late'), 400);
      else res.end('ok');
    });
    const result = await runPaced({ url, rate: 100, seconds: 1, sockets: 10, request });
    expect(result.ok).toBe(100);
    // Requests kept arriving while the first one waited: about 40 in its 400 ms, not none.
    const during = arrivals.filter((t) => t - (arrivals[0] ?? 0) < 400).length;
    expect(during).toBeGreaterThanOrEqual(20);
    expect(result.max).toBeGreaterThanOrEqual(400);
  });

  it('counts answers that are not 2xx apart, and times only the 2xx ones', async () => {
    const { url } = await serve((n, res) => {
      res.statusCode = n % 2 === 0 ? 200 : 500;
      res.end();
    });
    const result = await runPaced({ url, rate: 100, seconds: 0.5, sockets: 4, request });
    expect(result).toMatchObject({ sent: 50, ok: 25, non2xx: 25, errors: 0 });
  });

  it('charges the wait for a free socket: with one socket and slow answers, the queue shows in the figures', async () => {
    const { url } = await serve((_n, res) => {
      setTimeout(() => res.end('ok'), 30);
    });
    // One due every 10 ms, answered one at a time in 30 ms: the last of 30 waits about 600 ms in all.
    const result = await runPaced({ url, rate: 100, seconds: 0.3, sockets: 1, request });
    expect(result.ok).toBe(30);
    expect(result.p50).toBeGreaterThan(150);
    expect(result.p99).toBeGreaterThan(400);
  });

  it('counts a request left unanswered as a timeout and an error, and one cut off as an error', async () => {
    const { url } = await serve((n, res) => {
      if (n === 0) return; // never answered
      if (n === 1) {
        res.socket?.destroy();
        return;
      }
      res.end('ok');
    });
    const result = await runPaced({ url, rate: 50, seconds: 0.2, sockets: 10, request, timeoutMs: 300 });
    expect(result).toMatchObject({ sent: 10, ok: 8, timeouts: 1, errors: 2, non2xx: 0 });
  });

  it('sends every request that falls due, and refuses a load that sends none', () => {
    expect(pacedCount(200, 10)).toBe(2000);
    expect(pacedCount(200, 0.5)).toBe(100);
    expect(pacedCount(3, 0.5)).toBe(2); // due at 0 and at 333 ms
    expect(() => pacedCount(200, 0)).toThrow(/sends nothing/);
  });
});
