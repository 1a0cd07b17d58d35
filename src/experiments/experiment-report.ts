import type { Experiment } from "../domain/experiment.js";
import type { ExperimentAggregates } from "../domain/experiment-aggregates.js";
import { DEFAULT_RELATIVE_TAU } from "./statistics/msprt.js";
import { SRM_THRESHOLD, sampleRatioCheck } from "./statistics/srm.js";
import { armDayRows, armTotals, lookDays, looksByDay } from "./report-arms.js";
import { compareMetric } from "./report-comparison.js";
import { positionRows } from "./report-positions.js";
import type { ArmComparison, ArmTotals, ExperimentReport, SrmCheck } from "./report-types.js";
import { verdict, warnings } from "./report-verdict.js";

export type * from "./report-types.js";

export interface ReportOptions {
  /** Level of the always-valid test and the confidence sequences; 0.05. */
  alpha?: number;
  /** τ of the mSPRT as a share of the control's value at the first look; 0.1 (see msprt.ts). */
  relativeTau?: number;
  /** Full days to run before acting on a result, two weekly cycles; 14. */
  minimumDays?: number;
  /** Users an arm needs before its normal approximations are trusted; 100. */
  minimumUsers?: number;
}

const DAY_MS = 86_400_000;

const NOTES = [
  "Decisions use the always-valid p-value and confidence sequence (mSPRT, normal mixture): they stay valid however often the report is read.",
  "The fixed-horizon p-value is the plain z-test at one look, for reference only: it is NOT valid when the test is checked daily.",
  "CTR and mean dwell are ratios over users (the unit of assignment); their variances come from the delta method over per-user totals.",
  "Relative figures divide by the control's current value and leave its uncertainty out of the divisor.",
  "Sponsored and organic CTR per position treat impressions as independent (Wilson intervals, a Wald interval for the difference): rougher than the per-user figures.",
  `The sample-ratio check is a chi-square test of users per arm against the weights; p < ${SRM_THRESHOLD} flags a mismatch.`,
];

function srmCheck(totals: readonly ArmTotals[], day: string | null): SrmCheck {
  const users = totals.map((t) => t.usersServed);
  const total = users.reduce((a, b) => a + b, 0);
  const check = sampleRatioCheck(
    users,
    totals.map((t) => t.weight),
  );
  return {
    day,
    chiSquare: check?.chiSquare ?? null,
    pValue: check?.pValue ?? null,
    mismatch: check?.mismatch ?? false,
    arms: totals.map((t, i) => ({
      arm: t.arm,
      expectedShare: t.weight,
      observedShare: total > 0 ? t.usersServed / total : null,
      users: t.usersServed,
      expectedUsers: check?.expected[i] ?? 0,
    })),
  };
}

/**
 * The report of an experiment as of `now`: per arm-day figures, each treatment against the control
 * (the first arm) with always-valid inference over the daily looks, the sample-ratio check, warnings
 * and a verdict. Pure: the aggregates come from the event store.
 */
export function buildExperimentReport(
  experiment: Experiment,
  aggregates: ExperimentAggregates,
  now: Date,
  opts: ReportOptions = {},
): ExperimentReport {
  const alpha = opts.alpha ?? 0.05;
  const relativeTau = opts.relativeTau ?? DEFAULT_RELATIVE_TAU;
  const minimumDays = opts.minimumDays ?? 14;
  const minimumUsers = opts.minimumUsers ?? 100;
  const armNames = experiment.arms.map((a) => a.name);
  const control = armNames[0] ?? "";
  const known = (arm: string) => armNames.includes(arm);
  const looks = aggregates.looks.filter((l) => known(l.arm));
  const unknownArms = [
    ...new Set([...aggregates.days, ...aggregates.looks, ...aggregates.positions].map((r) => r.arm)),
  ].filter((a) => !known(a));

  const days = lookDays(looks);
  const byArm = new Map(armNames.map((a) => [a, looksByDay(looks, a, days)]));
  const lastDay = days.at(-1) ?? null;
  const totals = experiment.arms.map((a) => armTotals(a, byArm.get(a.name)?.at(-1), aggregates.days));
  const srm = srmCheck(totals, lastDay);

  const end = Math.min(now.getTime(), experiment.stoppedAt?.getTime() ?? Infinity);
  const fullDays = Math.max(0, Math.floor((end - experiment.startedAt.getTime()) / DAY_MS));

  const controlLooks = byArm.get(control) ?? [];
  const comparisons: ArmComparison[] = armNames.slice(1).map((arm) => {
    const treatment = byArm.get(arm) ?? [];
    const compare = (metric: "ctr" | "meanDwellMs") =>
      compareMetric(metric, controlLooks, treatment, days, experiment.startedAt, { alpha, relativeTau });
    return { arm, control, ctr: compare("ctr"), meanDwellMs: compare("meanDwellMs") };
  });

  return {
    experimentId: experiment.id,
    description: experiment.description,
    status: experiment.status,
    createdBy: experiment.createdBy,
    startedAt: experiment.startedAt.toISOString(),
    stoppedAt: experiment.stoppedAt?.toISOString() ?? null,
    generatedAt: now.toISOString(),
    fullDays,
    minimumDays,
    alpha,
    relativeTau,
    controlArm: control,
    arms: experiment.arms.map((a) => ({ name: a.name, weight: a.weight })),
    days: armDayRows(aggregates.days, armNames, experiment.startedAt),
    totals,
    comparisons,
    srm,
    positions: positionRows(aggregates.positions, armNames),
    warnings: warnings(comparisons, totals, srm, fullDays, unknownArms, { minimumDays, minimumUsers }),
    verdict: verdict(comparisons, srm, fullDays, minimumDays),
    notes: NOTES,
    events: aggregates.events,
  };
}
