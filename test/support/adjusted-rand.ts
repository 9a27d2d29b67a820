/**
 * Adjusted Rand index of two labelings of the same items (Hubert and Arabie, 1985): 1 when they group the items
 * identically, about 0 for a random grouping. Over the contingency table n_ij of the two labelings, with row
 * sums a_i, column sums b_j and n items: (Σ C(n_ij,2) − Σ C(a_i,2)·Σ C(b_j,2)/C(n,2)) /
 * (½(Σ C(a_i,2) + Σ C(b_j,2)) − Σ C(a_i,2)·Σ C(b_j,2)/C(n,2)).
 */
export function adjustedRandIndex<A, B>(truth: readonly A[], predicted: readonly B[]): number {
  if (truth.length !== predicted.length) throw new Error('labelings differ in length');
  const pairs = (n: number) => (n * (n - 1)) / 2;
  const cells = new Map<string, number>();
  const rows = new Map<A, number>();
  const cols = new Map<B, number>();
  truth.forEach((a, i) => {
    const b = predicted[i] as B;
    const key = `${String(a)}\u0000${String(b)}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
    rows.set(a, (rows.get(a) ?? 0) + 1);
    cols.set(b, (cols.get(b) ?? 0) + 1);
  });
  const sum = (m: Map<unknown, number>) => [...m.values()].reduce((s, n) => s + pairs(n), 0);
  const index = sum(cells);
  const rowSum = sum(rows);
  const colSum = sum(cols);
  const expected = (rowSum * colSum) / pairs(truth.length);
  const max = (rowSum + colSum) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}
