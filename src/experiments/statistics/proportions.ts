import type { Interval } from "./ratio.js";
import { twoSidedZ } from "./ratio.js";

/** Clicks over impressions at one position, with a Wilson interval. */
export interface ProportionEstimate {
  value: number;
  ci: Interval;
  impressions: number;
  clicks: number;
}

/**
 * The per-position splits carry only impression and click counts, no per-user totals, so these
 * intervals treat impressions as independent Bernoulli trials. A user who sees many pages makes
 * impressions correlate, so the intervals are somewhat too narrow: good for comparing sponsored with
 * organic at a glance, not for a decision (the arm comparison uses per-user delta-method variances).
 *
 * Wilson rather than Wald: it stays inside [0, 1] and does not collapse to a point at 0 clicks.
 */
export function proportionEstimate(
  clicks: number,
  impressions: number,
  level = 0.95,
): ProportionEstimate | undefined {
  if (impressions <= 0) return undefined;
  const z = twoSidedZ(level);
  const p = clicks / impressions;
  const z2n = (z * z) / impressions;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z * Math.sqrt((p * (1 - p)) / impressions + z2n / (4 * impressions))) / (1 + z2n);
  return {
    value: p,
    ci: { low: Math.max(0, centre - half), high: Math.min(1, centre + half) },
    impressions,
    clicks,
  };
}

/** a − b with a Wald interval: sqrt(pa(1 − pa)/na + pb(1 − pb)/nb), the same independence caveat. */
export function proportionDifference(
  a: ProportionEstimate,
  b: ProportionEstimate,
  level = 0.95,
): { value: number; ci: Interval } {
  const value = a.value - b.value;
  const se = Math.sqrt((a.value * (1 - a.value)) / a.impressions + (b.value * (1 - b.value)) / b.impressions);
  const z = twoSidedZ(level);
  return { value, ci: { low: value - z * se, high: value + z * se } };
}
