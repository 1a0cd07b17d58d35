import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";

/** Below this the users per arm are too far from the weights to be chance: the test is broken. */
export const SRM_THRESHOLD = 0.001;

export interface SampleRatioCheck {
  chiSquare: number;
  degreesOfFreedom: number;
  pValue: number;
  expected: number[];
  /** p < SRM_THRESHOLD. The strict threshold keeps a daily check from crying wolf. */
  mismatch: boolean;
}

/**
 * Pearson's chi-square goodness of fit of the users per arm against the arms' weights (which sum to
 * 1). A mismatch means assignment or logging lost users unevenly, and every other figure is suspect.
 * Undefined with no users or fewer than two arms.
 */
export function sampleRatioCheck(
  observed: readonly number[],
  weights: readonly number[],
): SampleRatioCheck | undefined {
  const total = observed.reduce((a, b) => a + b, 0);
  if (total <= 0 || observed.length < 2 || observed.length !== weights.length) return undefined;
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const expected = weights.map((w) => (total * w) / weightSum);
  let chiSquare = 0;
  observed.forEach((o, i) => {
    const e = expected[i]!;
    chiSquare += ((o - e) * (o - e)) / e;
  });
  const degreesOfFreedom = observed.length - 1;
  const pValue = 1 - chisquareCdf(chiSquare, degreesOfFreedom);
  return { chiSquare, degreesOfFreedom, pValue, expected, mismatch: pValue < SRM_THRESHOLD };
}
