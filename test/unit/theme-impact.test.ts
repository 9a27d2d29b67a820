import { describe, expect, it } from 'vitest';
import { type ImpactItem, itemImpact, rankByImpact, themeImpact } from '../../src/themes/impact.js';
import { detectSpike } from '../../src/themes/spike.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 30, 12);

function item(overrides: Partial<ImpactItem> = {}): ImpactItem {
  return {
    severity: 'normal',
    customerAtRisk: false,
    repeatCustomer: false,
    customerLost: false,
    slaBreaches: 0,
    createdAt: NOW,
    resolvedAt: NOW,
    ...overrides,
  };
}

describe('impact', () => {
  it('weighs an item by severity', () => {
    expect(itemImpact(item({ severity: 'low' }), NOW)).toBe(1);
    expect(itemImpact(item({ severity: 'normal' }), NOW)).toBe(2);
    expect(itemImpact(item({ severity: 'high' }), NOW)).toBe(4);
    expect(itemImpact(item({ severity: 'urgent' }), NOW)).toBe(8);
  });

  it('raises it for at-risk and repeat customers, SLA breaches and a lost customer', () => {
    expect(itemImpact(item({ customerAtRisk: true }), NOW)).toBe(3);
    expect(itemImpact(item({ repeatCustomer: true }), NOW)).toBe(2.5);
    expect(itemImpact(item({ slaBreaches: 2 }), NOW)).toBe(4);
    expect(itemImpact(item({ customerLost: true }), NOW)).toBe(12);
  });

  it('grows with the time an item stays open, up to three times', () => {
    expect(itemImpact(item({ createdAt: NOW - 7 * DAY, resolvedAt: undefined }), NOW)).toBe(4);
    expect(itemImpact(item({ createdAt: NOW - 7 * DAY, resolvedAt: NOW - 7 * DAY + 3.5 * DAY }), NOW)).toBe(
      3,
    );
    expect(itemImpact(item({ createdAt: NOW - 90 * DAY, resolvedAt: undefined }), NOW)).toBe(6);
  });

  it('ranks themes by impact, not count: three urgent items outrank five low ones', () => {
    const urgent = themeImpact(
      [item({ severity: 'urgent' }), item({ severity: 'urgent' }), item({ severity: 'urgent' })],
      NOW,
    );
    const low = themeImpact(
      Array.from({ length: 5 }, () => item({ severity: 'low' })),
      NOW,
    );
    expect(urgent).toBe(24);
    expect(low).toBe(5);
    const ranked = rankByImpact([
      { id: 1, impact: low, count: 5 },
      { id: 2, impact: urgent, count: 3 },
      { id: 3, impact: low, count: 6 },
    ]);
    expect(ranked.map((t) => t.id)).toEqual([2, 3, 1]);
  });
});

describe('spike rule', () => {
  it('fires at three times the eight-week median and at least five items', () => {
    expect(detectSpike(6, [2, 2, 2, 2, 2, 2, 2, 2])).toEqual({ spike: true, count: 6, baseline: 2 });
    expect(detectSpike(5, [2, 2, 2, 2, 2, 2, 2, 2]).spike).toBe(false);
    expect(detectSpike(4, [0, 0, 0, 0, 0, 0, 0, 1]).spike).toBe(false);
    expect(detectSpike(5, []).spike).toBe(true);
  });

  it('reads only the last eight weeks, a missing week counting zero', () => {
    expect(detectSpike(9, [10, 10, 10, 10, 3, 3, 3, 3, 3, 3, 3, 3]).spike).toBe(true);
    expect(detectSpike(9, [3, 3, 3, 3]).baseline).toBe(1.5);
    expect(detectSpike(12, [5, 5, 5, 5, 5, 5, 5, 5]).spike).toBe(false);
  });
});
