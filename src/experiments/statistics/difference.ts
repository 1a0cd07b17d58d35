import normalCdf from "@stdlib/stats-base-dists-normal-cdf";

import type { RatioEstimate } from "./ratio.js";

/** Treatment minus control for one ratio metric. The arms hold disjoint users, so variances add. */
export interface RatioDifference {
  /** R_treatment − R_control. */
  absolute: number;
  /** (R_treatment − R_control) / R_control; undefined when the control's ratio is 0. */
  relative: number | undefined;
  variance: number;
  standardError: number;
}

export function ratioDifference(treatment: RatioEstimate, control: RatioEstimate): RatioDifference {
  const absolute = treatment.value - control.value;
  const variance = treatment.variance + control.variance;
  return {
    absolute,
    relative: control.value === 0 ? undefined : absolute / control.value,
    variance,
    standardError: Math.sqrt(variance),
  };
}

/**
 * The classic two-sided z-test p-value for a difference, read once at a horizon fixed in advance.
 * NOT valid under peeking: checked daily it rejects a true null far more often than alpha. It is
 * reported for reference only; decisions use the always-valid p (msprt.ts).
 */
export function fixedHorizonPValue(estimate: number, variance: number): number | undefined {
  if (!(variance > 0)) return undefined;
  // 2·Φ(−|z|) rather than 2·(1 − Φ(|z|)): keeps its digits far in the tail.
  return Math.min(1, 2 * normalCdf(-Math.abs(estimate) / Math.sqrt(variance), 0, 1));
}
