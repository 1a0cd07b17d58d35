import type { Interval } from "./ratio.js";

/**
 * The mixture sequential probability ratio test (Johari, Pekelis, Walsh, "Always valid inference",
 * 2017) with a normal mixture: at a look with estimate Δ̂ ~ N(θ, V), mixing the likelihood ratio over
 * θ ~ N(0, τ²) gives
 *   Λ = sqrt(V / (V + τ²)) · exp(τ²Δ̂² / (2V(V + τ²))).
 * Λ is a nonnegative martingale under θ = 0, so by Ville's inequality P(Λ ever ≥ 1/α) ≤ α: the
 * running minimum of 1/Λ is a p-value that stays valid however often it is read, and stopping the
 * first time it drops below α is a level-α test.
 */

/**
 * τ as a share of the control's ratio. τ is the spread of the effects the test expects: the mSPRT
 * gains power fastest when V has shrunk to about τ², and ranking changes move CTR and dwell by a few
 * percent to a few tens of percent, so 10% of the control's value puts the mixture where real effects
 * lie. Any fixed τ keeps the test valid; a wrong one only costs power. It is fixed from the control's
 * value at the first look, before later looks are seen (see `mixtureTau`).
 */
export const DEFAULT_RELATIVE_TAU = 0.1;

/** τ for a metric whose control value is `controlValue`: relativeTau × |controlValue|. */
export function mixtureTau(controlValue: number, relativeTau = DEFAULT_RELATIVE_TAU): number | undefined {
  const tau = relativeTau * Math.abs(controlValue);
  return tau > 0 && Number.isFinite(tau) ? tau : undefined;
}

/** log Λ for Δ̂ (estimate) with variance V under mixing spread τ: kept in logs so large Δ̂ cannot overflow. */
export function msprtLogLambda(estimate: number, variance: number, tau: number): number {
  const t2 = tau * tau;
  return (
    0.5 * Math.log(variance / (variance + t2)) + (t2 * estimate * estimate) / (2 * variance * (variance + t2))
  );
}

/** Λ itself (may be Infinity for a huge effect). */
export function msprtLambda(estimate: number, variance: number, tau: number): number {
  return Math.exp(msprtLogLambda(estimate, variance, tau));
}

/** min(1, 1/Λ) at one look; the always-valid p is the running minimum of these. */
export function msprtLookPValue(estimate: number, variance: number, tau: number): number {
  return Math.min(1, Math.exp(-msprtLogLambda(estimate, variance, tau)));
}

/**
 * The θ for which Λ(θ) < 1/α at this look: Δ̂ ± sqrt(V(V + τ²)/τ² · (log((V + τ²)/V) − 2 log α)).
 * It holds θ = 0 exactly when this look's p is ≥ α, so the sequence and the p-value agree.
 */
export function msprtInterval(estimate: number, variance: number, tau: number, alpha: number): Interval {
  const t2 = tau * tau;
  const radius = Math.sqrt(
    ((variance * (variance + t2)) / t2) * (Math.log((variance + t2) / variance) - 2 * Math.log(alpha)),
  );
  return { low: estimate - radius, high: estimate + radius };
}

/** One look's estimate of a difference; undefined where an arm had no data yet. */
export interface LookEstimate {
  estimate: number;
  variance: number;
}

export interface SequentialLook {
  lambda: number;
  /** This look's min(1, 1/Λ). */
  lookPValue: number;
  /** Minimum of the look p-values so far: valid under continuous monitoring. */
  alwaysValidP: number;
  /** This look's interval alone. */
  lookInterval: Interval;
  /** Intersection of the look intervals so far: the confidence sequence, uniformly valid over looks. */
  confidenceSequence: Interval;
  /** This look's interval missed the sequence so far entirely (see msprtSequence). */
  disagrees: boolean;
}

/**
 * Runs the test over looks in time order. A look without data (undefined, or zero variance) gives
 * undefined and leaves the running p and sequence as they were.
 *
 * Under the model (one fixed effect) the running intersection is empty with probability below α.
 * When a look's interval misses it anyway, the effect has most likely moved (a novelty effect, a
 * change deployed mid-test): the look is flagged and the sequence restarts from it, the newest
 * evidence, rather than keep an interval the data has just contradicted.
 */
export function msprtSequence(
  looks: readonly (LookEstimate | undefined)[],
  tau: number,
  alpha: number,
): (SequentialLook | undefined)[] {
  let minP = 1;
  let sequence: Interval = { low: -Infinity, high: Infinity };
  return looks.map((look) => {
    if (look === undefined || !(look.variance > 0)) return undefined;
    const lookPValue = msprtLookPValue(look.estimate, look.variance, tau);
    minP = Math.min(minP, lookPValue);
    const lookInterval = msprtInterval(look.estimate, look.variance, tau, alpha);
    const low = Math.max(sequence.low, lookInterval.low);
    const high = Math.min(sequence.high, lookInterval.high);
    const disagrees = low > high;
    sequence = disagrees ? { ...lookInterval } : { low, high };
    return {
      lambda: msprtLambda(look.estimate, look.variance, tau),
      lookPValue,
      alwaysValidP: minP,
      lookInterval,
      confidenceSequence: { ...sequence },
      disagrees,
    };
  });
}
