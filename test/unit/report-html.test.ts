import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Experiment } from "../../src/domain/experiment.js";
import type { ArmLook, ExperimentAggregates, RatioMoments } from "../../src/domain/experiment-aggregates.js";
import { buildExperimentReport } from "../../src/experiments/experiment-report.js";
import { renderReportHtml } from "../../src/experiments/report-html.js";

const HOSTILE = `<script>alert("x")</script><img src=x onerror='y'>&amp;`;
const start = new Date("2026-03-02T09:00:00Z");

const m = (...groups: [number, number, number][]): RatioMoments =>
  groups.reduce(
    (o, [n, x, y]) => ({
      users: o.users + n,
      sumX: o.sumX + n * x,
      sumY: o.sumY + n * y,
      sumXX: o.sumXX + n * x * x,
      sumYY: o.sumYY + n * y * y,
      sumXY: o.sumXY + n * x * y,
    }),
    { users: 0, sumX: 0, sumY: 0, sumXX: 0, sumYY: 0, sumXY: 0 },
  );

function hostileReport() {
  const experiment: Experiment = {
    id: `exp-${HOSTILE}`,
    description: HOSTILE,
    salt: "s",
    arms: [
      { name: "control", weight: 0.5, settings: {} },
      { name: HOSTILE, weight: 0.5, settings: {} },
    ],
    status: "running",
    createdBy: "config",
    startedAt: start,
  };
  const dayOf = (d: number) => new Date(start.getTime() + (d - 1) * 86_400_000).toISOString().slice(0, 10);
  const moments = (arm: string, d: number) => {
    const n = 40 * d;
    return {
      ctr: arm === "control" ? m([n / 2, 0, 10], [n / 2, 2, 10]) : m([n * 0.7, 1, 10], [n * 0.3, 2, 10]),
      dwell: m([n / 2, 2000, 2], [n / 2, 6000, 2]),
    };
  };
  const looks: ArmLook[] = [1, 2, 3, 4, 5].flatMap((d) =>
    ["control", HOSTILE].map((arm) => ({ arm, day: dayOf(d), usersServed: 40 * d, ...moments(arm, d) })),
  );
  const aggregates: ExperimentAggregates = {
    experimentId: experiment.id,
    looks,
    days: [1, 2, 3, 4].flatMap((d) =>
      ["control", HOSTILE].map((arm) => ({
        arm,
        day: dayOf(d),
        usersServed: 40,
        pagesServed: 80,
        ...moments(arm, 1),
      })),
    ),
    positions: [
      { arm: HOSTILE, position: 1, sponsored: true, impressions: 100, clicks: 9 },
      { arm: HOSTILE, position: 1, sponsored: false, impressions: 300, clicks: 33 },
    ],
    events: 5000,
  };
  return buildExperimentReport(experiment, aggregates, new Date(start.getTime() + 5.5 * 86_400_000));
}

describe("renderReportHtml", () => {
  const html = renderReportHtml(hostileReport());

  it("escapes every string that comes from data", () => {
    assert.ok(!html.includes("<script"), "no script element");
    assert.ok(!html.includes("<img"), "no injected element");
    assert.ok(!/onerror=/.test(html.replace(/onerror=&#39;/g, "")), "no live handler attribute");
    assert.ok(html.includes("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
    // the data's own "&amp;" is escaped again, not passed through as an entity
    assert.ok(html.includes("&amp;amp;"));
  });

  it("has one <svg> per plot: CTR per day, cumulative lift, always-valid p", () => {
    assert.equal(html.match(/<svg[\s>]/g)?.length, 3);
    assert.equal(html.match(/<\/svg>/g)?.length, 3);
    assert.ok(html.includes("<polygon"), "the confidence-sequence band");
    assert.ok(html.includes("alpha = 0.05"), "the alpha line");
    assert.ok(html.includes("no difference"), "the zero line");
  });

  it("puts the verdict and warnings above the plots, and works offline", () => {
    const verdict = html.indexOf('id="verdict"');
    const warnings = html.indexOf('id="warnings"');
    const firstSvg = html.indexOf("<svg");
    assert.ok(verdict > 0 && warnings > verdict && firstSvg > warnings);
    assert.ok(html.includes("decided on day 5"), html.slice(verdict, verdict + 300));
    // Nothing fetched or run: escaped data has no "<", so every "<" opens one of our own tags; none
    // of them loads anything or carries a handler. The SVG namespace below is a name, not a fetch.
    const tags = [...html.matchAll(/<([a-z!/][^\s>]*)([^>]*)>/gi)];
    const names = new Set(tags.map((t) => t[1]!.replace("/", "").toLowerCase()));
    for (const bad of ["script", "link", "img", "iframe", "object", "embed", "image", "use"])
      assert.ok(!names.has(bad), `<${bad}>`);
    assert.ok(
      tags.every((t) => !/\s(src|href|on[a-z]+)=/i.test(t[2]!)),
      "no src, href or handler attributes",
    );
    assert.ok(!/@import|url\(/i.test(html));
    assert.deepEqual(
      [...html.matchAll(/https?:\/\/[^\s"']+/g)]
        .map((x) => x[0])
        .filter((u) => u !== "http://www.w3.org/2000/svg"),
      [],
    );
  });

  it("has the arm-day and the sponsored-organic tables", () => {
    const rows = (id: string) =>
      html
        .slice(html.indexOf(`id="${id}"`))
        .split("</table>")[0]!
        .match(/<tr>/g)!.length;
    assert.equal(rows("days"), 1 + 8); // header + 2 arms × 4 days
    assert.equal(rows("positions"), 1 + 1);
    assert.ok(html.includes("9.00%") && html.includes("11.00%"), "sponsored 9/100 and organic 33/300");
  });
});
