import type { ArmDay, ArmLook, RatioMoments } from "../domain/experiment-aggregates.js";
import { ratioEstimate } from "./statistics/ratio.js";
import type { ArmDayRow, ArmTotals, RatioSummary } from "./report-types.js";

const DAY_MS = 86_400_000;

/** 1 on the UTC day of `startedAt`. */
export function dayNumber(day: string, startedAt: Date): number {
  const start = Date.UTC(startedAt.getUTCFullYear(), startedAt.getUTCMonth(), startedAt.getUTCDate());
  return Math.round((Date.parse(`${day}T00:00:00Z`) - start) / DAY_MS) + 1;
}

/** The ratio as the report shows it: null where the metric has no data (fewer than two users). */
export function summarize(m: RatioMoments): RatioSummary | null {
  const e = ratioEstimate(m);
  if (e === undefined || !Number.isFinite(e.value) || !Number.isFinite(e.standardError)) return null;
  return { value: e.value, ci: e.ci, standardError: e.standardError, users: e.users };
}

/** Rows per arm-day, by day and then in the experiment's arm order. */
export function armDayRows(days: readonly ArmDay[], arms: readonly string[], startedAt: Date): ArmDayRow[] {
  return days
    .filter((d) => arms.includes(d.arm))
    .sort((a, b) => a.day.localeCompare(b.day) || arms.indexOf(a.arm) - arms.indexOf(b.arm))
    .map((d) => ({
      arm: d.arm,
      day: d.day,
      dayNumber: dayNumber(d.day, startedAt),
      usersServed: d.usersServed,
      pagesServed: d.pagesServed,
      itemImpressions: d.ctr.sumY,
      clicks: d.ctr.sumX,
      dwellEvents: d.dwell.sumY,
      ctr: summarize(d.ctr),
      meanDwellMs: summarize(d.dwell),
    }));
}

/** Every look day any arm has, in order. */
export function lookDays(looks: readonly ArmLook[]): string[] {
  return [...new Set(looks.map((l) => l.day))].sort();
}

/**
 * Each arm's look on every look day. A look is cumulative, so an arm with no row on a day (no new
 * users that day) stood where its previous look left it; before its first look it is undefined.
 */
export function looksByDay(
  looks: readonly ArmLook[],
  arm: string,
  days: readonly string[],
): (ArmLook | undefined)[] {
  const own = new Map(looks.filter((l) => l.arm === arm).map((l) => [l.day, l]));
  let last: ArmLook | undefined;
  return days.map((day) => (last = own.get(day) ?? last));
}

export function armTotals(
  arm: { name: string; weight: number },
  latest: ArmLook | undefined,
  days: readonly ArmDay[],
): ArmTotals {
  const pagesServed = days.filter((d) => d.arm === arm.name).reduce((sum, d) => sum + d.pagesServed, 0);
  return {
    arm: arm.name,
    weight: arm.weight,
    lookDay: latest?.day ?? null,
    usersServed: latest?.usersServed ?? 0,
    pagesServed,
    itemImpressions: latest?.ctr.sumY ?? 0,
    clicks: latest?.ctr.sumX ?? 0,
    dwellEvents: latest?.dwell.sumY ?? 0,
    ctr: latest ? summarize(latest.ctr) : null,
    meanDwellMs: latest ? summarize(latest.dwell) : null,
  };
}
