/**
 * Ranking metrics, written to be checked by hand (test/unit/eval-metrics.test.ts). Scores are
 * "higher is more relevant"; ties count half, as in the Mann-Whitney U statistic.
 */

/**
 * ROC AUC: the probability that a random positive outscores a random negative (ties count half).
 * Undefined without at least one positive and one negative: there is nothing to rank.
 */
export function rocAuc(positives: readonly number[], negatives: readonly number[]): number | undefined {
  if (positives.length === 0 || negatives.length === 0) return undefined;
  // Rank-sum form, O(n log n): average ranks over tied groups.
  const all = [
    ...positives.map((s) => ({ s, pos: true })),
    ...negatives.map((s) => ({ s, pos: false })),
  ].sort((a, b) => a.s - b.s);
  let rankSumPos = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j < all.length && all[j]!.s === all[i]!.s) j++;
    const avgRank = (i + 1 + j) / 2; // ranks i+1 .. j
    for (let k = i; k < j; k++) if (all[k]!.pos) rankSumPos += avgRank;
    i = j;
  }
  const nPos = positives.length;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * negatives.length);
}

/** The ROC curve's points from (0,0) to (1,1), one per distinct score threshold, for drawing. O(n log n). */
export function rocCurve(
  positives: readonly number[],
  negatives: readonly number[],
): { fpr: number; tpr: number }[] {
  const all = [
    ...positives.map((s) => ({ s, pos: true })),
    ...negatives.map((s) => ({ s, pos: false })),
  ].sort((a, b) => b.s - a.s);
  const points = [{ fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < all.length;) {
    const threshold = all[i]!.s;
    for (; i < all.length && all[i]!.s === threshold; i++) {
      if (all[i]!.pos) tp++;
      else fp++;
    }
    points.push({ fpr: fp / Math.max(negatives.length, 1), tpr: tp / Math.max(positives.length, 1) });
  }
  return points;
}

/** Share of the relevant items found in the first k of the ranked list (undefined with none relevant). */
export function recallAtK(
  ranked: readonly string[],
  relevant: ReadonlySet<string>,
  k: number,
): number | undefined {
  if (relevant.size === 0) return undefined;
  return ranked.slice(0, k).filter((id) => relevant.has(id)).length / relevant.size;
}

/** nDCG@k with binary relevance: DCG of the list over the DCG of the ideal list. */
export function ndcgAtK(
  ranked: readonly string[],
  relevant: ReadonlySet<string>,
  k: number,
): number | undefined {
  if (relevant.size === 0) return undefined;
  const dcg = ranked
    .slice(0, k)
    .reduce((sum, id, i) => sum + (relevant.has(id) ? 1 / Math.log2(i + 2) : 0), 0);
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return dcg / ideal;
}

/**
 * Gini coefficient of exposure counts: 0 when every creator is shown equally often, towards 1
 * when a few creators take all the impressions. Creators never shown count, when passed with 0.
 */
export function gini(counts: readonly number[]): number {
  const n = counts.length;
  const total = counts.reduce((a, b) => a + b, 0);
  if (n === 0 || total === 0) return 0;
  const sorted = [...counts].sort((a, b) => a - b);
  const weighted = sorted.reduce((sum, c, i) => sum + (i + 1) * c, 0);
  return (2 * weighted) / (n * total) - (n + 1) / n;
}

/** Mean of the defined values; undefined when there are none. */
export function meanDefined(values: readonly (number | undefined)[]): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length === 0 ? undefined : defined.reduce((a, b) => a + b, 0) / defined.length;
}
