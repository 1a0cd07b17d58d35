import { esc } from "./html-escape.js";
import type {
  ArmComparison,
  ExperimentReport,
  Interval,
  MetricComparison,
  RatioSummary,
} from "./report-types.js";
import { formatP, pValueText } from "./report-verdict.js";
import { type PlotSeries, svgPlot } from "./svg-plots.js";

const COLORS = ["#2471a3", "#c0392b", "#27ae60", "#8e44ad", "#d68910", "#17a589"];
const DASH = "–";

const pct = (x: number, digits = 2) => `${(x * 100).toFixed(digits)}%`;
const ms = (x: number) => `${x.toFixed(0)} ms`;
const ci = (i: Interval | null, f: (x: number) => string) => (i ? `[${f(i.low)}, ${f(i.high)}]` : "");
const ratio = (r: RatioSummary | null, f: (x: number) => string) =>
  r ? `${f(r.value)} <span class="ci">${ci(r.ci, f)}</span>` : DASH;
const num = (x: number | null, f: (x: number) => string) => (x === null ? DASH : f(x));
const signedPct = (x: number) => `${x >= 0 ? "+" : ""}${pct(x, 1)}`;
const pText = (p: number | null) => (p === null ? DASH : pValueText(p));

/** "03-14": the year is in the header, and the short form keeps the axis readable. */
const short = (day: string) => day.slice(5);

function plots(r: ExperimentReport): string {
  const dayLabels = [...new Set(r.days.map((d) => d.day))].sort();
  const color = (arm: string) => COLORS[r.arms.findIndex((a) => a.name === arm) % COLORS.length] ?? "#555";
  const perDay: PlotSeries[] = r.arms.map((a) => ({
    label: a.name,
    color: color(a.name),
    whiskers: true,
    points: r.days
      .filter((d) => d.arm === a.name && d.ctr !== null)
      .map((d) => ({
        i: dayLabels.indexOf(d.day),
        y: d.ctr!.value,
        low: d.ctr!.ci.low,
        high: d.ctr!.ci.high,
      })),
  }));
  const lookLabels = r.comparisons[0]?.ctr.history.map((h) => h.day) ?? [];
  const lift: PlotSeries[] = r.comparisons.map((c) => ({
    label: `${c.arm} vs ${c.control}`,
    color: color(c.arm),
    band: true,
    points: c.ctr.history.flatMap((h, i) =>
      h.relativeDifference === null
        ? []
        : [
            {
              i,
              y: h.relativeDifference,
              low: h.relativeConfidenceSequence?.low,
              high: h.relativeConfidenceSequence?.high,
            },
          ],
    ),
  }));
  const pValues: PlotSeries[] = r.comparisons.map((c) => ({
    label: `${c.arm} vs ${c.control}`,
    color: color(c.arm),
    points: c.ctr.history.flatMap((h, i) =>
      h.alwaysValidP === null ? [] : [{ i, y: Math.max(h.alwaysValidP, 1e-6) }],
    ),
  }));
  return [
    `<h2>CTR per day and arm</h2><p>Each day's users and events only; whiskers are 95% delta-method intervals.</p>`,
    svgPlot({
      title: "CTR per day per arm",
      xLabels: dayLabels.map(short),
      yLabel: "CTR",
      formatY: (y) => pct(y, 1),
      series: perDay,
    }),
    `<h2>Cumulative CTR lift per look</h2><p>Treatment over control as of each daily look; the band is the always-valid 95% confidence sequence.</p>`,
    svgPlot({
      title: "Cumulative CTR lift per look with confidence sequence",
      xLabels: lookLabels.map(short),
      yLabel: "lift",
      formatY: (y) => pct(y, 0),
      series: lift,
      lines: [{ y: 0, label: "no difference" }],
    }),
    `<h2>Always-valid p-value per look (CTR)</h2><p>Log scale. Below the line the test is decided; reading it every day does not change that.</p>`,
    svgPlot({
      title: "Always-valid p-value per look",
      xLabels: lookLabels.map(short),
      yLabel: "always-valid p",
      yLog: true,
      formatY: (y) => (y >= 0.01 ? String(y) : y.toExponential(0)),
      series: pValues,
      lines: [{ y: r.alpha, label: `alpha = ${r.alpha}` }],
    }),
  ].join("\n");
}

function comparisonRow(c: ArmComparison, m: MetricComparison): string {
  const f = m.metric === "ctr" ? (x: number) => pct(x, 3) : ms;
  // A difference of two CTRs is in percentage points, not a percent of anything.
  const d = m.metric === "ctr" ? (x: number) => `${(x * 100).toFixed(3)} pp` : ms;
  return `<tr><td>${esc(c.arm)} vs ${esc(c.control)}</td><td>${m.metric === "ctr" ? "CTR" : "mean dwell"}</td><td>${num(m.control, f)}</td><td>${num(m.treatment, f)}</td><td>${num(m.absoluteDifference, d)}</td><td>${num(m.relativeDifference, signedPct)}</td><td>${m.confidenceSequence ? ci(m.confidenceSequence, d) : DASH}</td><td>${pText(m.alwaysValidP)}</td><td>${m.decidedOnDay ? `day ${m.decidedOnDayNumber} (${esc(m.decidedOnDay)})` : DASH}</td><td class="muted">${pText(m.fixedHorizonP)}</td></tr>`;
}

function tables(r: ExperimentReport): string {
  const totals = r.totals
    .map(
      (t) =>
        `<tr><td>${esc(t.arm)}</td><td>${pct(t.weight, 1)}</td><td>${t.usersServed}</td><td>${t.pagesServed}</td><td>${t.itemImpressions}</td><td>${t.clicks}</td><td>${ratio(t.ctr, (x) => pct(x, 2))}</td><td>${ratio(t.meanDwellMs, ms)}</td></tr>`,
    )
    .join("\n");
  const comparisons = r.comparisons
    .flatMap((c) => [comparisonRow(c, c.ctr), comparisonRow(c, c.meanDwellMs)])
    .join("\n");
  const srm = r.srm.arms
    .map(
      (a) =>
        `<tr><td>${esc(a.arm)}</td><td>${pct(a.expectedShare, 1)}</td><td>${num(a.observedShare, (x) => pct(x, 1))}</td><td>${a.expectedUsers.toFixed(0)}</td><td>${a.users}</td></tr>`,
    )
    .join("\n");
  const days = r.days
    .map(
      (d) =>
        `<tr><td>${esc(d.day)}</td><td>${d.dayNumber}</td><td>${esc(d.arm)}</td><td>${d.usersServed}</td><td>${d.pagesServed}</td><td>${d.itemImpressions}</td><td>${d.clicks}</td><td>${ratio(d.ctr, (x) => pct(x, 2))}</td><td>${ratio(d.meanDwellMs, ms)}</td></tr>`,
    )
    .join("\n");
  const rate = (x: { value: number; ci: Interval; impressions: number } | null) =>
    x
      ? `${pct(x.value, 2)} <span class="ci">${ci(x.ci, (v) => pct(v, 2))}</span> <span class="muted">of ${x.impressions}</span>`
      : DASH;
  const positions = r.positions
    .map(
      (p) =>
        `<tr><td>${esc(p.arm)}</td><td>${p.position}</td><td>${rate(p.sponsored)}</td><td>${rate(p.organic)}</td><td>${p.sponsoredMinusOrganic ? `${pct(p.sponsoredMinusOrganic.value, 2)} <span class="ci">${ci(p.sponsoredMinusOrganic.ci, (v) => pct(v, 2))}</span>` : DASH}</td></tr>`,
    )
    .join("\n");
  return `<h2>Arms at the latest look</h2>
<table id="totals"><thead><tr><th>arm</th><th>weight</th><th>users</th><th>pages</th><th>impressions</th><th>clicks</th><th>CTR [95%]</th><th>mean dwell [95%]</th></tr></thead><tbody>
${totals}
</tbody></table>
<h2>Against the control</h2>
<table id="comparisons"><thead><tr><th>arms</th><th>metric</th><th>control</th><th>treatment</th><th>difference</th><th>relative</th><th>95% confidence sequence</th><th>always-valid p</th><th>decided</th><th class="muted">fixed-horizon p (not valid under peeking)</th></tr></thead><tbody>
${comparisons}
</tbody></table>
<h2>Sample ratio</h2>
<p>Chi-square of users per arm against the weights: ${r.srm.pValue === null ? "no users yet" : `${esc(formatP(r.srm.pValue))}${r.srm.mismatch ? ' <strong class="bad">mismatch</strong>' : ""}`}.</p>
<table id="srm"><thead><tr><th>arm</th><th>expected share</th><th>observed share</th><th>expected users</th><th>users</th></tr></thead><tbody>
${srm}
</tbody></table>
<h2>Per arm and day</h2>
<table id="days"><thead><tr><th>day</th><th>#</th><th>arm</th><th>users</th><th>pages</th><th>impressions</th><th>clicks</th><th>CTR [95%]</th><th>mean dwell [95%]</th></tr></thead><tbody>
${days}
</tbody></table>
<h2>Sponsored and organic CTR per position</h2>
<p>Impressions are treated as independent here (Wilson intervals; Wald for the difference), so these intervals are narrower than per-user ones would be.</p>
<table id="positions"><thead><tr><th>arm</th><th>position</th><th>sponsored [95%]</th><th>organic [95%]</th><th>sponsored − organic [95%]</th></tr></thead><tbody>
${positions}
</tbody></table>`;
}

/** The report as one self-contained page: inline CSS and SVG, no scripts, nothing from the network. */
export function renderReportHtml(r: ExperimentReport): string {
  const warnings = r.warnings.length
    ? `<ul id="warnings">${r.warnings.map((w) => `<li class="warn">${esc(w.message)}</li>`).join("")}</ul>`
    : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Experiment ${esc(r.experimentId)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1000px;color:#222;padding:0 1rem}
table{border-collapse:collapse;margin:1rem 0;font-size:13px}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}td:first-child,th:first-child{text-align:left}
#verdict{font-size:17px;padding:.8rem 1rem;border-radius:6px;background:#eaf2f8;border-left:5px solid #2471a3}
#verdict.bad{background:#fdedec;border-left-color:#c0392b}.warn{color:#9a5b00}.bad{color:#c0392b}
.ci,.muted{color:#777;font-size:12px}svg{max-width:100%;height:auto;display:block;margin:.5rem 0}
</style></head><body>
<h1>Experiment ${esc(r.experimentId)}</h1>
<p>${esc(r.description)}</p>
<p id="verdict"${r.srm.mismatch ? ' class="bad"' : ""}>${esc(r.verdict)}</p>
${warnings}
<p class="muted">${esc(r.status)}; started ${esc(r.startedAt)}${r.stoppedAt ? `, stopped ${esc(r.stoppedAt)}` : ""}; ${r.fullDays} full days; control ${esc(r.controlArm)}; alpha ${r.alpha}; τ = ${r.relativeTau} × the control's value at the first look; ${r.events} events; generated ${esc(r.generatedAt)}.</p>
${plots(r)}
${tables(r)}
<h2>How to read this</h2>
<ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>
</body></html>
`;
}
