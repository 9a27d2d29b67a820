/**
 * Where each theme went after a regroup: the new theme holding most of its items (ties go to the lower id).
 * A theme that kept its items maps to itself; one merged into another maps to that one. Themes that no
 * longer hold any item are absent.
 */
export function mapThemesByOverlap(
  before: ReadonlyMap<number, number>,
  after: ReadonlyMap<number, number>,
): Map<number, number> {
  const overlap = new Map<number, Map<number, number>>();
  for (const [itemId, oldTheme] of before) {
    const newTheme = after.get(itemId);
    if (newTheme === undefined) continue;
    let row = overlap.get(oldTheme);
    if (!row) {
      row = new Map();
      overlap.set(oldTheme, row);
    }
    row.set(newTheme, (row.get(newTheme) ?? 0) + 1);
  }
  const mapping = new Map<number, number>();
  for (const [oldTheme, row] of overlap) {
    let best: [number, number] | undefined;
    for (const [newTheme, n] of row) {
      if (!best || n > best[1] || (n === best[1] && newTheme < best[0])) best = [newTheme, n];
    }
    if (best) mapping.set(oldTheme, best[0]);
  }
  return mapping;
}
