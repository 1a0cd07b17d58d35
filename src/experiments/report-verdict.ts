import type { ArmComparison, ArmTotals, MetricComparison, ReportWarning, SrmCheck } from "./report-types.js";

/**
 * "< 0.001", "0.004", "0.053", "0.41": as many digits as an admin can act on, and three near alpha
 * so 0.053 never reads as "0.05".
 */
export function pValueText(p: number): string {
  if (p < 0.001) return "< 0.001";
  return p < 0.1 ? p.toFixed(3) : p.toFixed(2);
}

/** "p < 0.001", "p = 0.004", "p = 0.41". */
export function formatP(p: number): string {
  return p < 0.001 ? "p < 0.001" : `p = ${pValueText(p)}`;
}

/** "+12.3%", "−4.0%" (a real minus sign). */
export function formatPercent(x: number): string {
  const s = (Math.abs(x) * 100).toFixed(1);
  return `${x < 0 ? "\u2212" : "+"}${s}%`;
}

const METRIC_NAME = { ctr: "CTR", meanDwellMs: "mean dwell" } as const;

/** Sign of a decided difference: the side of zero its confidence sequence lies on. */
function direction(m: MetricComparison): number {
  if (m.confidenceSequence && m.confidenceSequence.low > 0) return 1;
  if (m.confidenceSequence && m.confidenceSequence.high < 0) return -1;
  return Math.sign(m.absoluteDifference ?? 0);
}

function decidedSentence(c: ArmComparison, m: MetricComparison): string {
  const verb = direction(m) >= 0 ? "beats" : "loses to";
  const size =
    m.relativeDifference !== null
      ? formatPercent(m.relativeDifference)
      : `${m.absoluteDifference} (absolute)`;
  const p = formatP(m.alwaysValidP ?? 1).replace(/^p/, "always-valid p");
  return `${c.arm} ${verb} ${c.control} on ${METRIC_NAME[m.metric]}: ${size} (${p}, decided on day ${m.decidedOnDayNumber})`;
}

const decided = (m: MetricComparison) => m.decidedOnDay !== null;

/**
 * The report's verdict in plain words. CTR is the primary metric; dwell is named only when it too is
 * decided. A sample ratio mismatch overrides everything, since then no other figure can be trusted.
 */
export function verdict(
  comparisons: readonly ArmComparison[],
  srm: SrmCheck,
  fullDays: number,
  minimumDays: number,
): string {
  if (srm.mismatch) return `do not trust this test: sample ratio mismatch (${formatP(srm.pValue ?? 0)})`;
  const withData = comparisons.filter((c) => c.ctr.alwaysValidP !== null);
  if (withData.length === 0) return "not enough data yet: no treatment arm can be compared with the control";
  const many = comparisons.length > 1;
  const parts: string[] = [];
  for (const c of comparisons) {
    // A decided metric leads, so "no difference" never reads as the whole story.
    if (decided(c.ctr)) parts.push(decidedSentence(c, c.ctr));
    if (decided(c.meanDwellMs)) parts.push(decidedSentence(c, c.meanDwellMs));
    const who = many ? `${c.arm}: ` : "";
    const ctrOpen = decided(c.meanDwellMs)
      ? "no difference in CTR detectable yet"
      : "no difference detectable yet";
    if (c.ctr.alwaysValidP === null) parts.push(`${c.arm}: not enough data yet`);
    else if (!decided(c.ctr)) parts.push(`${who}${ctrOpen} (${formatP(c.ctr.alwaysValidP)})`);
  }
  const anyWin = comparisons.some(
    (c) =>
      (decided(c.ctr) && direction(c.ctr) > 0) || (decided(c.meanDwellMs) && direction(c.meanDwellMs) > 0),
  );
  const anyDecided = comparisons.some((c) => decided(c.ctr) || decided(c.meanDwellMs));
  // A test decided early has seen only some weekdays; the weekly cycle can still flip it.
  if (anyDecided && fullDays < minimumDays)
    parts.push(`keep running to ${minimumDays} days before ${anyWin ? "shipping" : "acting on it"}`);
  return parts.join("; ");
}

/** What makes the figures less trustworthy than they look, one warning per cause. */
export function warnings(
  comparisons: readonly ArmComparison[],
  totals: readonly ArmTotals[],
  srm: SrmCheck,
  fullDays: number,
  unknownArms: readonly string[],
  limits: { minimumDays: number; minimumUsers: number },
): ReportWarning[] {
  const out: ReportWarning[] = [];
  if (fullDays < limits.minimumDays)
    out.push({
      code: "too-few-days",
      arm: null,
      message: `only ${fullDays} full day${fullDays === 1 ? "" : "s"} since the start: run at least ${limits.minimumDays} so every weekday is seen twice before acting on a result`,
    });
  if (srm.mismatch) {
    const shares = srm.arms
      .map(
        (a) =>
          `${a.arm} ${((a.observedShare ?? 0) * 100).toFixed(1)}% (expected ${(a.expectedShare * 100).toFixed(1)}%)`,
      )
      .join(", ");
    out.push({
      code: "sample-ratio-mismatch",
      arm: null,
      message: `sample ratio mismatch (${formatP(srm.pValue ?? 0)}): users per arm ${shares}; assignment or logging loses users unevenly, fix it before reading any result`,
    });
  }
  for (const t of totals) {
    if (t.usersServed === 0)
      out.push({ code: "no-data", arm: t.arm, message: `arm ${t.arm} has no data yet` });
    else if (t.usersServed < limits.minimumUsers)
      out.push({
        code: "few-users",
        arm: t.arm,
        message: `arm ${t.arm} has only ${t.usersServed} users: the intervals assume about ${limits.minimumUsers} or more`,
      });
  }
  for (const c of comparisons)
    for (const m of [c.ctr, c.meanDwellMs])
      if (m.looksDisagree)
        out.push({
          code: "looks-disagree",
          arm: c.arm,
          message: `${c.arm}: the daily looks at ${METRIC_NAME[m.metric]} disagree beyond chance, so the effect has changed during the test (a novelty effect, or a change deployed mid-test?); the confidence sequence restarts from the look that broke with it`,
        });
  for (const arm of unknownArms)
    out.push({
      code: "unknown-arm",
      arm,
      message: `the data names arm ${arm}, which the experiment does not define: it is left out`,
    });
  return out;
}
