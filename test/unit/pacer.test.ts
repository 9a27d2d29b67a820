import { describe, expect, it } from 'vitest';
import { createPacer, type PacingSettings } from '../../src/slack/delivery/pacer.js';

const pacerAt = (settings: PacingSettings) => {
  let now = 0;
  const pacer = createPacer(
    () => settings,
    () => now,
  );
  return { pacer, advance: (ms: number) => (now += ms) };
};

describe('posting pace', () => {
  it('lets a burst through per conversation, then one post per interval; other conversations are free', () => {
    const { pacer, advance } = pacerAt({ perKeyIntervalMs: 1000, perKeyBurst: 3, maxPerSecond: 0 });
    for (let i = 0; i < 3; i++) {
      expect(pacer.waitMs('C1')).toBe(0);
      pacer.take('C1');
    }
    expect(pacer.waitMs('C1')).toBe(1000);
    expect(pacer.waitMs('C2')).toBe(0);
    advance(1000);
    expect(pacer.waitMs('C1')).toBe(0);
    pacer.take('C1');
    expect(pacer.waitMs('C1')).toBe(1000);
  });

  it('caps posts across all conversations, and 0 turns each limit off', () => {
    const { pacer } = pacerAt({ perKeyIntervalMs: 0, perKeyBurst: 1, maxPerSecond: 2 });
    pacer.take('C1');
    pacer.take('C2');
    expect(pacer.waitMs('C3')).toBe(500);
    expect(pacer.waitMs(undefined)).toBe(500);
    const off = pacerAt({ perKeyIntervalMs: 0, perKeyBurst: 1, maxPerSecond: 0 }).pacer;
    for (let i = 0; i < 100; i++) off.take('C1');
    expect(off.waitMs('C1')).toBe(0);
  });
});
