import { rocCurve } from "./metrics.js";
import { NEGATIVE_KINDS } from "./negatives.js";
import { SCORERS, type EvalResult, type ScorerName } from "./run-eval.js";

export interface EvalReport {
  command: string;
  generatedAt: string;
  dataset: { path: string; manifest: unknown };
  models: { encoder: string; ranker?: string; crossEncoder: string };
  config: Record<string, unknown>;
  result: EvalResult;
}

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
const fmt = (x: number | undefined, digits = 3) => (x === undefined ? "–" : x.toFixed(digits));

/** A self-contained HTML page: the tables, ROC curves as inline SVG images, the manifest and config. No scripts, no network. */
export function renderReportHtml(r: EvalReport): string {
  const res = r.result;
  const rows = (Object.keys(SCORERS) as ScorerName[])
    .filter((name) => NEGATIVE_KINDS.some((k) => res.auc[name][k] !== undefined))
    .map(
      (name) =>
        `<tr><td>${esc(SCORERS[name].label)}${res.pointInTime[name] ? "" : ' <span class="flag" title="reads counts as of the scrape, after the split">not point-in-time</span>'}</td>${NEGATIVE_KINDS.map((k) => `<td>${fmt(res.auc[name][k])}</td>`).join("")}</tr>`,
    )
    .join("\n");
  const topK = (["withRules", "withoutRules"] as const)
    .map(
      (k) =>
        `<tr><td>${k === "withRules" ? "served (diversity quota on)" : "without the diversity quota"}</td><td>${fmt(res.topK[k].recallAt10)}</td><td>${fmt(res.topK[k].recallAt50)}</td><td>${fmt(res.topK[k].ndcgAt10)}</td></tr>`,
    )
    .join("\n");
  const sp = res.sponsoredSlot;
  const sponsored = `<tr id="sponsored"><td>served, a sponsored video in slot ${sp.position} (${sp.users} users)</td><td>${fmt(sp.recallAt10)}</td><td>–</td><td>${fmt(sp.ndcgAt10)}</td></tr>`;
  const curves = NEGATIVE_KINDS.map(
    (k) =>
      `<figure><figcaption>ROC, ${k} negatives (pooled over users)</figcaption>${rocSvg([
        { label: "served blend", color: "#c0392b", ...res.pooled.blend[k] },
        { label: "content alone", color: "#2471a3", ...res.pooled.content[k] },
      ])}</figure>`,
  ).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Offline evaluation</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:980px;color:#222}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}td:first-child,th:first-child{text-align:left}
.flag{font-size:11px;background:#fdebd0;border-radius:3px;padding:0 .3rem}figure{display:inline-block;margin:.5rem}pre{background:#f6f6f6;padding:.6rem;overflow:auto}
</style></head><body>
<h1>Offline evaluation</h1>
<p id="command"><code>${esc(r.command)}</code> — ${esc(r.generatedAt)}</p>
<p>${res.evaluatedUsers} users evaluated of ${res.eligibleUsers} eligible (comments on at least 5 videos; the latest 20% held out); ${res.positives} positives; negatives: ${NEGATIVE_KINDS.map((k) => `${res.negatives[k]} ${k}`).join(", ")}. Held-out comments found in the store: <strong id="leaked">${res.leakedComments}</strong>. Ingestion ${res.ingestSeconds.toFixed(0)} s, scoring ${res.scoreSeconds.toFixed(0)} s.</p>
<h2>ROC AUC (mean per user)</h2>
<table id="auc"><thead><tr><th>scorer</th>${NEGATIVE_KINDS.map((k) => `<th>${k}</th>`).join("")}</tr></thead><tbody>
${rows}
</tbody></table>
<p>Random: any catalogue video the user never engaged with. Hard: videos of creators the user already comments on. Matched: videos posted within 14 days of the positive. The cross-encoder rows appear when a model is passed (--rerank-model); it scored ${res.reranked} candidates, every candidate of every user, with no latency budget.</p>
<h2>From the served top 50</h2>
<table id="topk"><thead><tr><th>list</th><th>recall@10</th><th>recall@50</th><th>nDCG@10</th></tr></thead><tbody>${topK}
${sponsored}</tbody></table>
<p>The cost of a sponsored slot: one of the 50 most played videos the user never commented on and that their served top 10 does not hold (picked by a hash of the user id), placed in slot ${sp.position} by the serving rule (applySponsoredSlots). It costs nDCG@10 <strong id="sponsored-ndcg-loss">${fmt(sp.ndcgLossAt10)}</strong> and recall@10 ${fmt(sp.recallLossAt10)} against the same users' served page (mean per-user loss; never negative, as every organic item from the slot on moves down one and the 10th drops off).</p>
<p>Catalogue coverage of the served top 10s: ${fmt(res.coverage)}. Creator exposure Gini: ${fmt(res.creatorGini)} (0 = every creator shown equally).</p>
<h2>ROC curves</h2>
${curves}
<h2>Dataset, models, configuration</h2>
<pre>${esc(JSON.stringify({ dataset: r.dataset, models: r.models, config: r.config }, null, 2))}</pre>
</body></html>
`;
}

/** ROC curves as an inline SVG image: axes, the chance diagonal, one polyline per series. */
function rocSvg(series: { label: string; color: string; pos: number[]; neg: number[] }[]): string {
  const size = 260;
  const pad = 30;
  const x = (f: number) => pad + f * (size - 2 * pad);
  const y = (t: number) => size - pad - t * (size - 2 * pad);
  const lines = series
    .filter((s) => s.pos.length > 0 && s.neg.length > 0)
    .map((s, i) => {
      const points = thin(rocCurve(s.pos, s.neg), 400)
        .map((p) => `${x(p.fpr).toFixed(1)},${y(p.tpr).toFixed(1)}`)
        .join(" ");
      return `<polyline fill="none" stroke="${s.color}" stroke-width="1.6" points="${points}"/><text x="${x(0.45)}" y="${y(0.12 + i * 0.08)}" fill="${s.color}" font-size="11">${esc(s.label)}</text>`;
    })
    .join("");
  return `<svg role="img" xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
<rect x="${pad}" y="${pad}" width="${size - 2 * pad}" height="${size - 2 * pad}" fill="none" stroke="#999"/>
<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#ccc" stroke-dasharray="4 3"/>
<text x="${size / 2}" y="${size - 6}" font-size="11" text-anchor="middle">false positive rate</text>
<text x="10" y="${size / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 10 ${size / 2})">true positive rate</text>
${lines}</svg>`;
}

function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const step = points.length / max;
  return [...Array.from({ length: max - 1 }, (_, i) => points[Math.floor(i * step)]!), points.at(-1)!];
}
