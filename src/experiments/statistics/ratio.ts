import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";

import type { RatioMoments } from "../../domain/experiment-aggregates.js";

/** A two-sided interval. */
export interface Interval {
  low: number;
  high: number;
}

/** A ratio metric (CTR, mean dwell) of one group of users, with its delta-method uncertainty. */
export interface RatioEstimate {
  /** Σx / Σy: the pooled ratio, not the mean of per-user ratios. */
  value: number;
  /** Var(R) by the delta method over per-user totals. */
  variance: number;
  standardError: number;
  /** value ± z · standardError. */
  ci: Interval;
  users: number;
}

/** z for a two-sided interval at this level: 1.96 for 0.95. */
export function twoSidedZ(level: number): number {
  return normalQuantile(1 - (1 - level) / 2, 0, 1);
}

/**
 * Var(R) for R = Σx/Σy over n users: (1/n) · (s_xx − 2R·s_xy + R²·s_yy) / ȳ², the s being sample
 * (co)variances (n − 1 in the denominator). Users, not impressions, are the independent units, so a
 * user who clicks a lot moves the variance as much as they move the ratio.
 * Undefined with fewer than two users or no denominator: there is no variance to speak of.
 */
export function ratioVariance(m: RatioMoments): number | undefined {
  const n = m.users;
  if (n < 2 || m.sumY <= 0) return undefined;
  const r = m.sumX / m.sumY;
  const yBar = m.sumY / n;
  // Σ(x − x̄)² = Σx² − (Σx)²/n, and likewise for the cross and y terms.
  const sxx = (m.sumXX - (m.sumX * m.sumX) / n) / (n - 1);
  const syy = (m.sumYY - (m.sumY * m.sumY) / n) / (n - 1);
  const sxy = (m.sumXY - (m.sumX * m.sumY) / n) / (n - 1);
  const v = (sxx - 2 * r * sxy + r * r * syy) / (n * yBar * yBar);
  // The numerator is a variance of (x − R·y); below zero only by rounding.
  return Math.max(0, v);
}

/** The ratio with its CI at `level` (0.95 by default); undefined where the metric has no data. */
export function ratioEstimate(m: RatioMoments, level = 0.95): RatioEstimate | undefined {
  const variance = ratioVariance(m);
  if (variance === undefined) return undefined;
  const value = m.sumX / m.sumY;
  const standardError = Math.sqrt(variance);
  const z = twoSidedZ(level);
  return {
    value,
    variance,
    standardError,
    ci: { low: value - z * standardError, high: value + z * standardError },
    users: m.users,
  };
}
