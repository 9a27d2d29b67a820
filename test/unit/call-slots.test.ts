import { describe, expect, it } from 'vitest';
import { callSlots } from '../../src/slack/lean-api-call.js';

describe('callSlots', () => {
  it('lets at most max calls be under way, and starts the waiting ones in their order as slots are given', async () => {
    const slots = callSlots(2);
    const started: number[] = [];
    const takes = [1, 2, 3, 4].map((n) => slots.take().then(() => started.push(n)));
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toEqual([1, 2]);
    slots.give();
    await takes[2];
    expect(started).toEqual([1, 2, 3]);
    slots.give();
    slots.give();
    await takes[3];
    expect(started).toEqual([1, 2, 3, 4]);
    // Two given back with nobody waiting: the next two start at once, the third waits.
    slots.give();
    let third = false;
    await slots.take();
    await slots.take();
    void slots.take().then(() => {
      third = true;
    });
    await Promise.resolve();
    expect(third).toBe(false);
  });
});
