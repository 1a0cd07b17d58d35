import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Experiment } from "../../src/domain/experiment.js";
import type {
  ArmDay,
  ArmLook,
  ExperimentAggregates,
  RatioMoments,
} from "../../src/domain/experiment-aggregates.js";
import { buildExperimentReport } from "../../src/experiments/experiment-report.js";

const close = (a: number | null | undefined, b: number, tol = 1e-9) =>
  assert.ok(a !== null && a !== undefined && Math.abs(a - b) <= tol, `${a} != ${b}`);

const start = new Date("2026-03-02T09:00:00Z");
const afterDays = (d: number) => new Date(start.getTime() + d * 86_400_000);
const dayOf = (n: number) =>
  afterDays(n - 1)
    .toISOString()
    .slice(0, 10); // day 1 = 2026-03-02

function experiment(arms: [string, number][]): Experiment {
  return {
    id: "exp-1",
    description: "learned ranker against the fixed blend",
    salt: "s",
    arms: arms.map(([name, weight]) => ({ name, weight, settings: {} })),
    status: "running",
    createdBy: "config",
    startedAt: start,
  };
}

/** Moments of groups of identical users: [how many, x each, y each]. */
function m(...groups: [number, number, number][]): RatioMoments {
  const out = { users: 0, sumX: 0, sumY: 0, sumXX: 0, sumYY: 0, sumXY: 0 };
  for (const [n, x, y] of groups) {
    out.users += n;
    out.sumX += n * x;
    out.sumY += n * y;
    out.sumXX += n * x * x;
    out.sumYY += n * y * y;
    out.sumXY += n * x * y;
  }
  return out;
}

// Dwell the same in every arm (2 events a user, 1 or 3 s each), so only CTR can differ.
const dwell = (users: number) => m([users / 2, 2000, 2], [users / 2, 6000, 2]);
// 10 impressions a user: half click 0, half click 2 -> CTR 0.10; 70% click 1, 30% click 2 -> 0.13.
const ctr10 = (users: number) => m([users / 2, 0, 10], [users / 2, 2, 10]);
const ctr13 = (users: number) => m([(users * 7) / 10, 1, 10], [(users * 3) / 10, 2, 10]);

const look = (arm: string, day: number, ctr: RatioMoments, users = ctr.users): ArmLook => ({
  arm,
  day: dayOf(day),
  usersServed: users,
  ctr,
  dwell: dwell(ctr.users),
});

const aggregates = (
  looks: ArmLook[],
  days: ArmDay[] = [],
  positions: ExperimentAggregates["positions"] = [],
) => ({
  experimentId: "exp-1",
  days,
  looks,
  positions,
  events: 1234,
});

/** Every number in the report, to show none is NaN or infinite. */
function numbers(v: unknown): number[] {
  if (typeof v === "number") return [v];
  if (Array.isArray(v)) return v.flatMap(numbers);
  if (v && typeof v === "object") return Object.values(v).flatMap(numbers);
  return [];
}

const twoArms = experiment([
  ["control", 0.5],
  ["treatment", 0.5],
]);

describe("buildExperimentReport", () => {
  it("a clear win: the verdict, the day it was decided, and the p per look by hand", () => {
    // 40 new users per arm a day, control CTR 0.10, treatment 0.13 throughout.
    const looks = [1, 2, 3, 4, 5, 6].flatMap((d) => [
      look("control", d, ctr10(40 * d)),
      look("treatment", d, ctr13(40 * d)),
    ]);
    const r = buildExperimentReport(twoArms, aggregates(looks), afterDays(6.5));
    // Var(R) = s_xx / (n·ȳ²) with y = 10 for everyone (s_xy = s_yy = 0), so n·ȳ² = 100·n:
    //   control   s_xx = (n/2·4 − n²/n)/(n − 1) = n/(n − 1)
    //   treatment s_xx = (0.7n·1 + 0.3n·4 − (1.3n)²/n)/(n − 1) = (1.9n − 1.69n)/(n − 1) = 0.21n/(n − 1)
    // τ = 10% of the control's 0.10 at the first look = 0.01; Δ̂ = 0.03 at every look.
    const tau2 = 1e-4;
    const expected = [1, 2, 3, 4, 5, 6].map((d) => {
      const n = 40 * d;
      const V = (n / (n - 1) + (0.21 * n) / (n - 1)) / (100 * n);
      const logLambda = 0.5 * Math.log(V / (V + tau2)) + (tau2 * 0.03 ** 2) / (2 * V * (V + tau2));
      return Math.min(1, Math.exp(-logLambda));
    });
    // -> 0.807, 0.403, 0.157, 0.0530, 0.0163, 0.00472: below 0.05 first on day 5
    const c = r.comparisons[0]!.ctr;
    c.history.forEach((h, i) => close(h.alwaysValidP, expected[i]!, 1e-12));
    assert.equal(
      r.verdict,
      "treatment beats control on CTR: +30.0% (always-valid p = 0.005, decided on day 5); keep running to 14 days before shipping",
    );
    assert.equal(c.decidedOnDay, "2026-03-06");
    assert.equal(c.decidedOnDayNumber, 5);
    close(c.relativeDifference, 0.3, 1e-12); // 0.13 / 0.10 − 1
    close(c.absoluteDifference, 0.03, 1e-12);
    close(c.tau, 0.01, 1e-15);
    close(c.standardError, Math.sqrt((240 / 239 + (0.21 * 240) / 239) / 24000), 1e-15);
    assert.ok(c.confidenceSequence!.low > 0, "the sequence excludes zero once decided");
    assert.equal(c.looksDisagree, false);
    // relative band = absolute band / the control's 0.10
    close(c.relativeConfidenceSequence!.low, c.confidenceSequence!.low / 0.1, 1e-12);
    assert.deepEqual(
      r.warnings.map((w) => w.code),
      ["too-few-days"],
    );
    assert.equal(r.fullDays, 6);
    assert.equal(r.comparisons[0]!.meanDwellMs.decidedOnDay, null);
  });

  it("looks that contradict each other are flagged and the sequence restarts", () => {
    // identical arms for five days (Δ̂ = 0, band ±0.0137), then a jump to Δ̂ = 0.03 (band ±0.0106):
    // [0.0194, 0.0406] misses [−0.0137, 0.0137], which one fixed effect would almost never do.
    const looks = [1, 2, 3, 4, 5, 6].flatMap((d) => [
      look("control", d, ctr10(1000)),
      look("treatment", d, d < 6 ? ctr10(1000) : ctr13(1000)),
    ]);
    const r = buildExperimentReport(twoArms, aggregates(looks), afterDays(6.5));
    const c = r.comparisons[0]!.ctr;
    assert.equal(c.looksDisagree, true);
    assert.equal(c.decidedOnDayNumber, 6);
    assert.ok(c.confidenceSequence!.low > 0.019 && c.confidenceSequence!.high < 0.041);
    assert.deepEqual(
      r.warnings.map((w) => [w.code, w.arm]),
      [
        ["too-few-days", null],
        ["looks-disagree", "treatment"],
      ],
    );
  });

  it("a loss reads as a loss", () => {
    const looks = [look("control", 1, ctr13(1000)), look("treatment", 1, ctr10(1000))];
    const r = buildExperimentReport(twoArms, aggregates(looks), afterDays(3));
    // 0.10 / 0.13 − 1 = −0.2308
    assert.equal(
      r.verdict,
      "treatment loses to control on CTR: \u221223.1% (always-valid p < 0.001, decided on day 1); keep running to 14 days before acting on it",
    );
  });

  it("a dwell win with CTR still open leads with the win and names CTR as open", () => {
    // CTR the same in both arms. Control: 2 or 6 s over 2 events a user -> 2 s per event; treatment 6 s: +200%.
    const same = ctr10(1000);
    const looks = [look("control", 1, same), { ...look("treatment", 1, same), dwell: m([1000, 12000, 2]) }];
    const r = buildExperimentReport(twoArms, aggregates(looks), afterDays(20));
    assert.match(
      r.verdict,
      /^treatment beats control on mean dwell: \+200\.0% \(always-valid p < 0\.001, decided on day 1\); no difference in CTR detectable yet \(p = /,
    );
  });

  it("no difference yet, though the fixed-horizon p would call it", () => {
    // treatment: 545 users click 2, 455 click 0 -> CTR 0.109, Δ̂ = 0.009
    //   s_xx = (545·4 − 1090²/1000)/999 = (2180 − 1188.1)/999 = 991.9/999
    const looks = [look("control", 1, ctr10(1000)), look("treatment", 1, m([455, 0, 10], [545, 2, 10]))];
    const r = buildExperimentReport(twoArms, aggregates(looks), afterDays(20));
    const V = (1000 / 999 + 991.9 / 999) / 1e5; // 1.99389e-5
    const tau2 = 1e-4;
    const lambda = Math.sqrt(V / (V + tau2)) * Math.exp((tau2 * 0.009 ** 2) / (2 * V * (V + tau2))); // 2.2175
    const p = 1 / lambda; // 0.4510
    assert.equal(r.verdict, `no difference detectable yet (p = ${p.toFixed(2)})`);
    assert.equal(r.verdict, "no difference detectable yet (p = 0.45)");
    const c = r.comparisons[0]!.ctr;
    close(c.alwaysValidP, p, 1e-9);
    // z = 0.009 / sqrt(1.99389e-5) = 2.0155 -> two-sided 0.0438: "significant" if read as fixed-horizon
    close(c.fixedHorizonP, 0.043848, 1e-5);
    assert.equal(c.decidedOnDay, null);
    assert.deepEqual(r.warnings, []);
  });

  it("a sample ratio mismatch overrides the rest", () => {
    const exp = experiment([
      ["control", 0.9],
      ["treatment", 0.1],
    ]);
    const looks = [look("control", 1, ctr10(850)), look("treatment", 1, ctr13(150))];
    const r = buildExperimentReport(exp, aggregates(looks), afterDays(15));
    assert.equal(r.verdict, "do not trust this test: sample ratio mismatch (p < 0.001)");
    // (850 − 900)²/900 + (150 − 100)²/100 = 2.778 + 25 = 27.778, one degree of freedom
    close(r.srm.chiSquare, 2500 / 900 + 25, 1e-12);
    close(r.srm.pValue, 1.36e-7, 1e-8);
    assert.equal(r.srm.mismatch, true);
    assert.deepEqual(
      r.srm.arms.map((a) => [a.observedShare, a.expectedUsers]),
      [
        [0.85, 900],
        [0.15, 100],
      ],
    );
    assert.deepEqual(
      r.warnings.map((w) => w.code),
      ["sample-ratio-mismatch"],
    );
  });

  it("few users, an arm with no data, an unknown arm; nothing NaN anywhere", () => {
    const exp = experiment([
      ["control", 0.5],
      ["small", 0.3],
      ["empty", 0.2],
    ]);
    const looks = [look("control", 1, ctr10(1000)), look("small", 1, ctr10(50)), look("ghost", 1, ctr10(10))];
    const r = buildExperimentReport(exp, aggregates(looks), afterDays(2));
    assert.deepEqual(
      r.warnings.map((w) => [w.code, w.arm]),
      [
        ["too-few-days", null],
        ["sample-ratio-mismatch", null],
        ["few-users", "small"],
        ["no-data", "empty"],
        ["unknown-arm", "ghost"],
      ],
    );
    const empty = r.comparisons.find((c) => c.arm === "empty")!;
    assert.equal(empty.ctr.alwaysValidP, null);
    assert.equal(empty.ctr.absoluteDifference, null);
    assert.equal(r.totals[2]!.ctr, null);
    assert.ok(
      numbers(r).every((x) => Number.isFinite(x)),
      "every number is finite",
    );
    const noData = buildExperimentReport(twoArms, aggregates([]), afterDays(1));
    assert.equal(noData.verdict, "not enough data yet: no treatment arm can be compared with the control");
    assert.ok(numbers(noData).every((x) => Number.isFinite(x)));
  });

  it("a look missing for an arm carries its previous cumulative look forward", () => {
    const looks = [
      look("control", 1, ctr10(1000)),
      look("treatment", 1, ctr13(1000)),
      look("control", 2, ctr10(2000)),
    ];
    const r = buildExperimentReport(twoArms, aggregates(looks), afterDays(3));
    const h = r.comparisons[0]!.ctr.history;
    assert.deepEqual(
      h.map((x) => x.day),
      ["2026-03-02", "2026-03-03"],
    );
    close(h[1]!.treatment, 0.13, 1e-12);
    assert.equal(r.totals[1]!.lookDay, "2026-03-02");
  });

  it("per arm-day rows with delta-method intervals, absent with a single user", () => {
    const day = (arm: string, n: number, ctr: RatioMoments): ArmDay => ({
      arm,
      day: dayOf(n),
      usersServed: ctr.users,
      pagesServed: 3 * ctr.users,
      ctr,
      dwell: dwell(2),
    });
    // the four users of the statistics test: (1,4) (0,2) (2,6) (0,4), Var(R) = 1.53125/3/64
    const four = m([1, 1, 4], [1, 0, 2], [1, 2, 6], [1, 0, 4]);
    const days = [day("treatment", 1, m([1, 1, 5])), day("control", 1, four)];
    const r = buildExperimentReport(twoArms, aggregates([], days), afterDays(1));
    assert.deepEqual(
      r.days.map((d) => [d.day, d.arm, d.itemImpressions, d.clicks, d.pagesServed]),
      [
        ["2026-03-02", "control", 16, 3, 12],
        ["2026-03-02", "treatment", 5, 1, 3],
      ],
    );
    const se = Math.sqrt(1.53125 / 3 / 64);
    close(r.days[0]!.ctr!.ci.low, 0.1875 - 1.959963985 * se, 1e-9);
    assert.equal(r.days[1]!.ctr, null); // one user: no variance
  });

  it("sponsored against organic per position", () => {
    const positions = [
      { arm: "control", position: 1, sponsored: true, impressions: 100, clicks: 10 },
      { arm: "control", position: 1, sponsored: false, impressions: 200, clicks: 30 },
      { arm: "control", position: 2, sponsored: false, impressions: 50, clicks: 5 },
    ];
    const r = buildExperimentReport(twoArms, aggregates([], [], positions), afterDays(1));
    const [p1, p2] = r.positions;
    close(p1!.sponsored!.value, 0.1);
    close(p1!.organic!.value, 0.15);
    // Wald: sqrt(0.1·0.9/100 + 0.15·0.85/200) = sqrt(0.0009 + 0.0006375) = 0.0392110; ·1.96 = 0.0768524
    close(p1!.sponsoredMinusOrganic!.value, -0.05, 1e-12);
    close(p1!.sponsoredMinusOrganic!.ci.high, -0.05 + 0.0768524, 1e-6);
    assert.equal(p2!.sponsored, null);
    assert.equal(p2!.sponsoredMinusOrganic, null);
  });
});
