import type { ArmLook, ArmMoments } from "../domain/experiment-aggregates.js";
import { fixedHorizonPValue, ratioDifference } from "./statistics/difference.js";
import { type LookEstimate, mixtureTau, msprtSequence } from "./statistics/msprt.js";
import { type RatioEstimate, ratioEstimate } from "./statistics/ratio.js";
import { dayNumber } from "./report-arms.js";
import type { ComparedMetric, Interval, LookPoint, MetricComparison } from "./report-types.js";

const momentsOf = (metric: ComparedMetric) => (m: ArmMoments) => (metric === "ctr" ? m.ctr : m.dwell);

const finite = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null);

const scale = (i: Interval, by: number): Interval | null =>
  by > 0 && Number.isFinite(i.low / by) && Number.isFinite(i.high / by)
    ? { low: i.low / by, high: i.high / by }
    : null;

/**
 * One metric of a treatment against the control over the daily looks. τ is fixed from the control's
 * value at its first look with data and kept for every later look, so it cannot be tuned by what the
 * later looks show.
 */
export function compareMetric(
  metric: ComparedMetric,
  control: readonly (ArmLook | undefined)[],
  treatment: readonly (ArmLook | undefined)[],
  days: readonly string[],
  startedAt: Date,
  opts: { alpha: number; relativeTau: number },
): MetricComparison {
  const pick = momentsOf(metric);
  const estimates = (looks: readonly (ArmLook | undefined)[]) =>
    looks.map((l): RatioEstimate | undefined => (l ? ratioEstimate(pick(l)) : undefined));
  const c = estimates(control);
  const t = estimates(treatment);
  const diffs = days.map((_, i) => (c[i] && t[i] ? ratioDifference(t[i], c[i]) : undefined));
  const firstControl = c.find((e) => e !== undefined);
  const tau = firstControl ? mixtureTau(firstControl.value, opts.relativeTau) : undefined;
  const looks = diffs.map((d): LookEstimate | undefined =>
    d ? { estimate: d.absolute, variance: d.variance } : undefined,
  );
  const sequence = tau === undefined ? days.map(() => undefined) : msprtSequence(looks, tau, opts.alpha);

  const history: LookPoint[] = days.map((day, i) => {
    const d = diffs[i];
    const s = sequence[i];
    const controlValue = c[i]?.value;
    return {
      day,
      dayNumber: dayNumber(day, startedAt),
      control: finite(controlValue),
      treatment: finite(t[i]?.value),
      absoluteDifference: finite(d?.absolute),
      relativeDifference: finite(d?.relative),
      confidenceSequence: s ? s.confidenceSequence : null,
      relativeConfidenceSequence:
        s && controlValue !== undefined ? scale(s.confidenceSequence, controlValue) : null,
      alwaysValidP: s ? s.alwaysValidP : null,
      fixedHorizonP: d ? finite(fixedHorizonPValue(d.absolute, d.variance)) : null,
    };
  });
  const decided = history.find((h) => h.alwaysValidP !== null && h.alwaysValidP < opts.alpha);
  const lastIndex = days.length - 1;
  const latest = history[lastIndex];
  return {
    metric,
    control: latest?.control ?? null,
    treatment: latest?.treatment ?? null,
    absoluteDifference: latest?.absoluteDifference ?? null,
    relativeDifference: latest?.relativeDifference ?? null,
    standardError: finite(diffs[lastIndex]?.standardError),
    confidenceSequence: latest?.confidenceSequence ?? null,
    relativeConfidenceSequence: latest?.relativeConfidenceSequence ?? null,
    alwaysValidP: latest?.alwaysValidP ?? null,
    fixedHorizonP: latest?.fixedHorizonP ?? null,
    decidedOnDay: decided?.day ?? null,
    decidedOnDayNumber: decided?.dayNumber ?? null,
    looksDisagree: sequence.some((s) => s?.disagrees === true),
    tau: finite(tau),
    history,
  };
}
