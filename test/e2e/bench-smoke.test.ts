import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchRow } from '../../scripts/bench/rows.js';
import { runBench } from '../../scripts/bench/run.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * `npm run bench`, CI-sized: half a second per load phase and a small digest seed. It checks that the benchmark
 * runs and that what it counts adds up (every acked request stored and posted), never how fast anything is.
 */
const dir = tempDir();
afterAll(() => dir.remove());

describe('the benchmark, CI-sized', () => {
  it('measures the floor, plain Bolt and the app side by side and writes one table', {
    timeout: 240_000,
  }, async () => {
    execFileSync(process.execPath, ['scripts/build-if-changed.mjs'], { stdio: 'ignore' });
    const rows = await runBench({ seconds: 0.5, smoke: true, outDir: dir.path });
    const row = (measure: string): BenchRow => {
      const found = rows.find((r) => r.measure === measure);
      if (!found) throw new Error(`no row "${measure}" in ${rows.map((r) => r.measure).join(', ')}`);
      return found;
    };
    for (const label of ['/feedback', '/kudos', 'reaction_added']) {
      const throughput = row(`${label} flat-out acks/s`);
      for (const figure of [throughput.floor, throughput.plainBolt, throughput.app])
        expect(figure).toBeGreaterThan(0);
      const ratio = row(`${label} ack p99 at 200 req/s (ms)`).ratio;
      expect(Number.isFinite(ratio)).toBe(true);
      // Counts, not speed: whatever the app acked, it stored and posted, and nothing failed.
      expect(row(`${label} acked / stored / posted by the app`).ok, label).toBe(true);
      expect(row(`${label} posted within (s) after the load`).app, label).toBeDefined();
    }
    expect(row('app start to ready (ms), built').app).toBeGreaterThan(0);
    expect(row('app resident memory peak (MB)').app).toBeGreaterThan(0);
    expect(row('all weekly digests, 20 managers, 2000 items, work time (ms)').app).toBeGreaterThan(0);
    expect(row('event loop held at once during the weekly run, longest (ms)').app).toBeGreaterThan(0);
    const written = JSON.parse(readFileSync(join(dir.path, 'bench.json'), 'utf8')) as { rows: BenchRow[] };
    expect(written.rows).toEqual(rows);
    expect(readFileSync(join(dir.path, 'bench.md'), 'utf8')).toContain('| measure | floor | plain Bolt |');
  });
});
