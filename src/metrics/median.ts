/**
 * The middle value of all the values in the lists (the mean of the two middle ones for an even count); undefined
 * when there are none. Several lists (a digest adds up its departments' times) are read without joining them first.
 */
export function median(...lists: readonly (readonly number[])[]): number | undefined {
  let count = 0;
  for (const list of lists) count += list.length;
  if (count === 0) return undefined;
  const values = new Float64Array(count);
  let offset = 0;
  for (const list of lists) {
    values.set(list, offset);
    offset += list.length;
  }
  // Only the middle is needed: selecting it moves each value a few times, where sorting the tens of thousands of
  // times of a 20-department digest took most of its headline.
  const mid = Math.floor(count / 2);
  const upper = select(values, mid);
  if (count % 2 === 1) return upper;
  // The value below the middle is the largest of those the selection left before it.
  let lower = values[0] as number;
  for (let i = 1; i < mid; i++) if ((values[i] as number) > lower) lower = values[i] as number;
  return (lower + upper) / 2;
}

/**
 * The k-th smallest value (Hoare's selection, middle-of-three pivots); afterwards every value before index k is
 * at most it. Values are numbers without NaN (times, counts).
 */
function select(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = middleOfThree(values[lo] as number, values[(lo + hi) >> 1] as number, values[hi] as number);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        const swap = values[i] as number;
        values[i] = values[j] as number;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k] as number;
}

function middleOfThree(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}
