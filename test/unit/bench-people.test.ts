import { describe, expect, it } from 'vitest';
import { COMPANY_SIZE, kudosPeople } from '../../scripts/bench/payloads.js';

/**
 * The intake benchmark's people: by default a company of 2,000, each giving in turn, so the directory is warm
 * after everyone's first kudos and no allowance or per-recipient cap refuses a kudos the load counts on.
 */
const numbers = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe('the benchmark people', () => {
  it('draws a company: everyone gives and receives, nobody thanks themself, a pair at most once per phase', () => {
    // The 200/s phase numbers from 1, the flat-out phase from 10,000,001 (intake.ts); each ~30,000 at most.
    const requests = [...numbers(1, 2000), ...numbers(10_000_001, 30_000)].map((n) =>
      kudosPeople('company', n),
    );
    const givers = new Map<string, number>();
    const pairs = new Map<string, number>();
    for (const { giver, recipient } of requests) {
      expect(recipient).not.toBe(giver);
      givers.set(giver, (givers.get(giver) ?? 0) + 1);
      pairs.set(`${giver}>${recipient}`, (pairs.get(`${giver}>${recipient}`) ?? 0) + 1);
    }
    expect(new Set(requests.map((r) => r.recipient)).size).toBe(COMPANY_SIZE);
    expect(givers.size).toBe(COMPANY_SIZE);
    // The bench org's daily_allowance is 100: each gives 16 here (kudos and reactions alike: 32 in a run).
    expect(Math.max(...givers.values())).toBe(16);
    // Kudos and reactions are numbered alike: twice per pair in a run, the default per-recipient cap.
    expect(Math.max(...pairs.values())).toBe(1);
  });

  it('names everyone in the first 2,000 requests (the 200/s phase), so the flat-out phase finds them known', () => {
    const named = new Set(numbers(1, COMPANY_SIZE).flatMap((n) => Object.values(kudosPeople('company', n))));
    expect(named.size).toBe(COMPANY_SIZE);
  });

  it('keeps the old case as an option: two people never seen before in every request', () => {
    const requests = numbers(1, 1000).map((n) => kudosPeople('new', n));
    const everyone = requests.flatMap((r) => [r.giver, r.recipient]);
    expect(new Set(everyone).size).toBe(2000);
  });
});
