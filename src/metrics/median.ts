/**
 * The middle value of all the values in the lists (the mean of the two middle ones for an even count); undefined
 * when there are none. Several lists (a digest adds up its departments' times) are read without joining them first.
 */
export function median(...lists: readonly (readonly number[])[]): number | undefined {
  let count = 0;
  for (const list of lists) count += list.length;
  if (count === 0) return undefined;
  // A typed array sorts numbers natively, several times faster than a comparator (tens of thousands of values).
  const sorted = new Float64Array(count);
  let offset = 0;
  for (const list of lists) {
    sorted.set(list, offset);
    offset += list.length;
  }
  sorted.sort();
  const mid = Math.floor(count / 2);
  return count % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
