import { expect, it } from 'vitest';
import { median } from '../../src/metrics/median.js';

/** The definition: sort everything, take the middle (the mean of the two middle values for an even count). */
function sortedMedian(lists: number[][]): number | undefined {
  const all = lists.flat().sort((a, b) => a - b);
  if (all.length === 0) return undefined;
  const mid = Math.floor(all.length / 2);
  return all.length % 2 === 1 ? all[mid] : ((all[mid - 1] as number) + (all[mid] as number)) / 2;
}

it('selects the middle of several lists exactly as sorting them all does', () => {
  let s = 7;
  const rnd = () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
  for (let n = 0; n < 500; n++) {
    // Few distinct values (many repeats), wide ranges, sorted and reversed runs, one to a few thousand values.
    const lists = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => {
      const length = Math.floor(rnd() * (n % 50 === 0 ? 5000 : 40));
      const spread = rnd() < 0.3 ? 3 : 1e9;
      const list = Array.from({ length }, () => Math.floor(rnd() * spread));
      if (rnd() < 0.2) list.sort((a, b) => a - b);
      if (rnd() < 0.1) list.reverse();
      return list;
    });
    const before = JSON.stringify(lists);
    expect(median(...lists)).toBe(sortedMedian(lists));
    expect(JSON.stringify(lists)).toBe(before); // the lists given are left as they were
  }
  expect(median()).toBeUndefined();
  expect(median([], [])).toBeUndefined();
  expect(median([5])).toBe(5);
  expect(median([4, 1], [3, 2])).toBe(2.5);
});
