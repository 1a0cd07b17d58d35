import { esc } from "./html-escape.js";

/** One point of a series at a categorical x (an index into the plot's labels). */
export interface PlotPoint {
  i: number;
  y: number;
  low?: number;
  high?: number;
}

export interface PlotSeries {
  label: string;
  color: string;
  points: PlotPoint[];
  /** Draw low–high as whiskers on each point (per-day intervals). */
  whiskers?: boolean;
  /** Draw low–high as a shaded band (a confidence sequence over looks). */
  band?: boolean;
}

export interface PlotSpec {
  /** Read by screen readers and shown as the figure's tooltip. */
  title: string;
  xLabels: string[];
  yLabel: string;
  /** Log10 y axis (p-values). Values at or below zero are left out. */
  yLog?: boolean;
  formatY: (y: number) => string;
  series: PlotSeries[];
  /** Reference lines: zero, alpha. */
  lines?: { y: number; label: string }[];
}

const W = 720;
const H = 300;
// The right margin holds the reference lines' labels, clear of the data.
const M = { left: 64, right: 84, top: 28, bottom: 44 };

const f1 = (x: number) => x.toFixed(1);

/** The y domain of every value drawn, padded a little so whiskers do not touch the frame. */
function yDomain(spec: PlotSpec): [number, number] {
  const ys = spec.series.flatMap((s) => s.points.flatMap((p) => [p.y, p.low ?? p.y, p.high ?? p.y]));
  ys.push(...(spec.lines ?? []).map((l) => l.y));
  const shown = spec.yLog ? ys.filter((y) => y > 0).map(Math.log10) : ys.filter(Number.isFinite);
  if (shown.length === 0) return [0, 1];
  let lo = Math.min(...shown);
  let hi = Math.max(...shown);
  if (hi - lo < 1e-12) [lo, hi] = [lo - 0.5 * (Math.abs(lo) || 1), hi + 0.5 * (Math.abs(hi) || 1)];
  // A log axis spans whole decades so it always has ticks (and alpha sits between two of them).
  if (spec.yLog) return [Math.floor(lo - 1e-9), Math.max(0, Math.ceil(hi))];
  const pad = (hi - lo) * 0.06;
  return [lo - pad, hi + pad];
}

/** About five round ticks over [lo, hi]. */
function ticks(lo: number, hi: number, log: boolean): number[] {
  if (log) {
    const out: number[] = [];
    for (let e = Math.ceil(lo); e <= Math.floor(hi); e++) out.push(e);
    return out.length > 0 ? out : [lo];
  }
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-12; v += step)
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/**
 * A small inline SVG chart over categorical x (look days): points joined by lines, optional
 * whiskers or a shaded band, reference lines. Written by hand so the page needs nothing from the
 * network; every label is escaped.
 */
export function svgPlot(spec: PlotSpec): string {
  const [lo, hi] = yDomain(spec);
  const n = Math.max(1, spec.xLabels.length);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (i: number) => M.left + ((i + 0.5) / n) * plotW;
  const t = (y: number) => (spec.yLog ? Math.log10(y) : y);
  const y = (v: number) => M.top + (1 - (t(v) - lo) / (hi - lo)) * plotH;
  const drawable = (v: number | undefined) => v !== undefined && Number.isFinite(v) && (!spec.yLog || v > 0);
  const parts: string[] = [];

  for (const tv of ticks(lo, hi, spec.yLog ?? false)) {
    const v = spec.yLog ? 10 ** tv : tv;
    parts.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${f1(y(v))}" y2="${f1(y(v))}" stroke="#eee"/>`,
      `<text x="${M.left - 6}" y="${f1(y(v) + 4)}" text-anchor="end">${esc(spec.formatY(v))}</text>`,
    );
  }
  // Labels ~60 px apart at most, so dates never run into each other.
  const every = Math.ceil(n / Math.floor(plotW / 60));
  spec.xLabels.forEach((label, i) => {
    if (i % every === 0)
      parts.push(`<text x="${f1(x(i))}" y="${H - M.bottom + 16}" text-anchor="middle">${esc(label)}</text>`);
  });
  parts.push(
    `<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#888"/>`,
    `<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#888"/>`,
    `<text x="14" y="${M.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 14 ${M.top + plotH / 2})">${esc(spec.yLabel)}</text>`,
  );
  for (const l of spec.lines ?? []) {
    if (!drawable(l.y)) continue;
    parts.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${f1(y(l.y))}" y2="${f1(y(l.y))}" stroke="#555" stroke-dasharray="4 3"/>`,
      `<text x="${W - M.right + 4}" y="${f1(y(l.y) + 4)}" fill="#555">${esc(l.label)}</text>`,
    );
  }

  let legendX = M.left + 8;
  spec.series.forEach((s, k) => {
    const pts = s.points.filter((p) => drawable(p.y));
    // Several arms share a day: nudge each a little so their whiskers do not overlap.
    const dx = s.whiskers ? (k - (spec.series.length - 1) / 2) * 6 : 0;
    const px = (p: PlotPoint) => x(p.i) + dx;
    const ranged = pts.filter((p) => drawable(p.low) && drawable(p.high));
    if (s.band && ranged.length > 0) {
      const upper = ranged.map((p) => `${f1(px(p))},${f1(y(p.high!))}`);
      const lower = ranged.map((p) => `${f1(px(p))},${f1(y(p.low!))}`).reverse();
      parts.push(
        `<polygon points="${[...upper, ...lower].join(" ")}" fill="${s.color}" fill-opacity="0.18" stroke="none"/>`,
      );
    }
    if (s.whiskers)
      for (const p of ranged)
        parts.push(
          `<line x1="${f1(px(p))}" x2="${f1(px(p))}" y1="${f1(y(p.low!))}" y2="${f1(y(p.high!))}" stroke="${s.color}"/>`,
        );
    if (pts.length > 1)
      parts.push(
        `<polyline points="${pts.map((p) => `${f1(px(p))},${f1(y(p.y))}`).join(" ")}" fill="none" stroke="${s.color}" stroke-width="1.5"/>`,
      );
    for (const p of pts) parts.push(`<circle cx="${f1(px(p))}" cy="${f1(y(p.y))}" r="3" fill="${s.color}"/>`);
    // A very long arm name is cut so the legend stays on one line.
    const label = s.label.length > 40 ? `${s.label.slice(0, 39)}…` : s.label;
    parts.push(
      `<rect x="${legendX}" y="8" width="10" height="10" fill="${s.color}"/>`,
      `<text x="${legendX + 14}" y="17">${esc(label)}</text>`,
    );
    legendX += 30 + label.length * 6.2;
  });

  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(spec.title)}" font-size="11" font-family="system-ui,sans-serif"><title>${esc(spec.title)}</title>${parts.join("")}</svg>`;
}
