import type { PositionSplit } from "../domain/experiment-aggregates.js";
import { proportionDifference, proportionEstimate } from "./statistics/proportions.js";
import type { PositionRate, PositionRow } from "./report-types.js";

const rate = (s: PositionSplit | undefined): PositionRate | null => {
  const e = s ? proportionEstimate(s.clicks, s.impressions) : undefined;
  return e ? { value: e.value, ci: e.ci, impressions: e.impressions, clicks: e.clicks } : null;
};

/** Sponsored against organic CTR per arm and position, in the experiment's arm order then position. */
export function positionRows(positions: readonly PositionSplit[], arms: readonly string[]): PositionRow[] {
  const key = (arm: string, position: number) => `${arms.indexOf(arm)}:${position}`;
  const groups = new Map<
    string,
    { arm: string; position: number; sponsored?: PositionSplit; organic?: PositionSplit }
  >();
  for (const p of positions) {
    if (!arms.includes(p.arm)) continue;
    const k = key(p.arm, p.position);
    const g = groups.get(k) ?? { arm: p.arm, position: p.position };
    // The store sums per (arm, position, sponsored); adding keeps a split row from being dropped.
    const prev = p.sponsored ? g.sponsored : g.organic;
    const merged = prev
      ? { ...p, impressions: prev.impressions + p.impressions, clicks: prev.clicks + p.clicks }
      : p;
    if (p.sponsored) g.sponsored = merged;
    else g.organic = merged;
    groups.set(k, g);
  }
  return [...groups.values()]
    .sort((a, b) => arms.indexOf(a.arm) - arms.indexOf(b.arm) || a.position - b.position)
    .map((g) => {
      const sponsored = rate(g.sponsored);
      const organic = rate(g.organic);
      return {
        arm: g.arm,
        position: g.position,
        sponsored,
        organic,
        sponsoredMinusOrganic: sponsored && organic ? proportionDifference(sponsored, organic) : null,
      };
    });
}
