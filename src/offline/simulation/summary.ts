import type { RatioSummary } from "../../experiments/experiment-report.js";
import { CLICK_MODEL } from "./click-model.js";
import { wilsonInterval, type SimulationResult } from "./run-simulation.js";

const f = (x: number | null | undefined, digits = 4) =>
  x === null || x === undefined ? "–" : x.toFixed(digits);
const ratio = (r: RatioSummary | null, digits = 4) =>
  r ? `${f(r.value, digits)} [${f(r.ci.low, digits)}, ${f(r.ci.high, digits)}]` : "–";
const share = (k: number, n: number) => {
  const ci = wilsonInterval(k, n);
  return `${k}/${n} = ${f(n ? k / n : null, 3)} (95% Wilson ${f(ci.low, 3)}-${f(ci.high, 3)})`;
};

/** The printed summary: the A/B verdict and figures, the A/A false-positive rates, the store's speed. */
export function summaryLines(r: SimulationResult): string[] {
  const m = CLICK_MODEL;
  const out = [
    `click model: P(click at p) = base × ${m.decay}^(p-1), base ${m.relevantBase} (held-out video) / ${m.otherBase}; dwell log-normal, median ${m.relevantDwellMs / 1000} s / ${m.otherDwellMs / 1000} s, log-sd ${m.dwellSigma}; visit probability ${m.visitProbability} a day`,
    `users ${r.users}, days ${r.days}`,
  ];
  if (r.ab) {
    const rep = r.ab.report;
    const c = rep.comparisons[0];
    out.push(
      "",
      `## (b) A/B ${r.ab.experimentId}: ${rep.arms.map((a) => `${a.name} ${a.weight}`).join(" / ")}, click feedback on`,
      `pages ${r.ab.pagesServed}, events accepted ${r.ab.tally.accepted}, duplicate ${r.ab.tally.duplicate}, refused ${r.ab.tally.refused}, unserved visits ${r.ab.tally.unserved}; ${f(r.ab.seconds, 0)} s`,
      `verdict: ${rep.verdict}`,
      "| arm | users | impressions | clicks | CTR [95% CI] | mean dwell ms [95% CI] |",
      "|---|---|---|---|---|---|",
      ...rep.totals.map(
        (t) =>
          `| ${t.arm} | ${t.usersServed} | ${t.itemImpressions} | ${t.clicks} | ${ratio(t.ctr)} | ${ratio(t.meanDwellMs, 0)} |`,
      ),
    );
    if (c)
      for (const metric of [c.ctr, c.meanDwellMs])
        out.push(
          `${metric.metric} ${c.arm} − ${c.control}: ${f(metric.absoluteDifference, metric.metric === "ctr" ? 4 : 0)} (relative ${f(metric.relativeDifference, 3)}), confidence sequence [${f(metric.confidenceSequence?.low, metric.metric === "ctr" ? 4 : 0)}, ${f(metric.confidenceSequence?.high, metric.metric === "ctr" ? 4 : 0)}], always-valid p ${f(metric.alwaysValidP)}, decided on day ${metric.decidedOnDayNumber ?? "– (not decided)"}`,
        );
    out.push(
      `SRM p ${f(rep.srm.pValue, 3)}; warnings: ${rep.warnings.map((w) => w.code).join(", ") || "none"}`,
    );
    out.push(
      "",
      "## click feedback (item 6): last-day page vs held-out videos not yet clicked",
      "| arm | users | nDCG@10 with / without feedback | recall@10 with / without | difference nDCG / recall |",
      "|---|---|---|---|---|",
      ...r.ab.feedback.map(
        (e) =>
          `| ${e.arm} | ${e.withFeedback.users} | ${f(e.withFeedback.ndcgAt10)} / ${f(e.withoutFeedback.ndcgAt10)} | ${f(e.withFeedback.recallAt10)} / ${f(e.withoutFeedback.recallAt10)} | ${f(e.difference.ndcgAt10)} / ${f(e.difference.recallAt10)} |`,
      ),
    );
  }
  const n = r.aa.reps.length;
  if (n > 0)
    out.push(
      "",
      `## (a) A/A, ${n} repetitions at 90/10, ${r.aa.users} users each, ${r.days} days (${f(r.aa.seconds, 0)} s, pages ${f(r.aa.pageSeconds, 0)} s)`,
      `false positives, always-valid p < 0.05 at the end, CTR: ${share(r.aa.falsePositives.ctr, n)}`,
      `false positives, always-valid p < 0.05 at the end, mean dwell: ${share(r.aa.falsePositives.dwell, n)}`,
      `for contrast, the fixed-horizon z-test read daily (peeking), CTR below 0.05 on some day: ${share(r.aa.falsePositives.ctrFixedHorizonPeeking, n)}`,
    );
  out.push(
    "",
    "## event store",
    `appendEvents: ${r.meter.append.events} events in ${f(r.meter.append.seconds, 1)} s = ${f(r.eventsPerSecond.appendEvents, 0)} events/s`,
    `recordEvents (with click feedback into Weaviate): ${r.meter.record.events} events in ${f(r.meter.record.seconds, 1)} s = ${f(r.eventsPerSecond.recordEvents, 0)} events/s`,
  );
  return out;
}
