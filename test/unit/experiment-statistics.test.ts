import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RatioMoments } from "../../src/domain/experiment-aggregates.js";
import { fixedHorizonPValue, ratioDifference } from "../../src/experiments/statistics/difference.js";
import {
  type LookEstimate,
  mixtureTau,
  msprtInterval,
  msprtLambda,
  msprtLookPValue,
  msprtSequence,
} from "../../src/experiments/statistics/msprt.js";
import { proportionEstimate } from "../../src/experiments/statistics/proportions.js";
import { ratioEstimate, ratioVariance } from "../../src/experiments/statistics/ratio.js";
import { sampleRatioCheck } from "../../src/experiments/statistics/srm.js";
import { seededRandom } from "../../src/platform/seeded-random.js";

const close = (a: number | undefined, b: number, tol = 1e-9) =>
  assert.ok(a !== undefined && Math.abs(a - b) <= tol, `${a} != ${b}`);

/** The moments the event store sums, from per-user (x, y) totals. */
function moments(users: readonly [number, number][]): RatioMoments {
  const m = { users: 0, sumX: 0, sumY: 0, sumXX: 0, sumYY: 0, sumXY: 0 };
  for (const [x, y] of users) {
    if (y <= 0) continue;
    m.users++;
    m.sumX += x;
    m.sumY += y;
    m.sumXX += x * x;
    m.sumYY += y * y;
    m.sumXY += x * y;
  }
  return m;
}

describe("ratio metrics: delta-method variance over users", () => {
  it("four users, by hand", () => {
    // (clicks, impressions): (1,4) (0,2) (2,6) (0,4). R = 3/16 = 0.1875, n = 4, ȳ = 16/4 = 4.
    // s_xx − 2R·s_xy + R²·s_yy is the sample variance of d = x − R·y:
    //   d = 1 − 0.75 = 0.25, 0 − 0.375 = −0.375, 2 − 1.125 = 0.875, 0 − 0.75 = −0.75 (Σd = 0)
    //   Σd² = 0.0625 + 0.140625 + 0.765625 + 0.5625 = 1.53125; / (n − 1) = 0.5104166…
    // From the moments: s_xx = (5 − 9/4)/3 = 0.91667, s_xy = (16 − 48/4)/3 = 1.33333,
    //   s_yy = (72 − 256/4)/3 = 2.66667 -> 0.91667 − 2·0.1875·1.33333 + 0.03515625·2.66667 = 0.5104166…
    // Var(R) = 0.5104166… / (n·ȳ²) = 0.5104166… / 64 = 0.00797526…
    const m = moments([
      [1, 4],
      [0, 2],
      [2, 6],
      [0, 4],
    ]);
    const expectedVar = 1.53125 / 3 / 64;
    close(ratioVariance(m), expectedVar, 1e-15);
    const e = ratioEstimate(m)!;
    close(e.value, 0.1875, 1e-15);
    // 95%: z = 1.959964; SE = sqrt(0.00797526) = 0.0893043
    close(e.ci.low, 0.1875 - 1.959963985 * Math.sqrt(expectedVar), 1e-9);
    close(e.ci.high, 0.1875 + 1.959963985 * Math.sqrt(expectedVar), 1e-9);
    assert.equal(e.users, 4);
  });

  it("three users whose residuals are (0, −0.5, 0.5)", () => {
    // (1,4) (0,2) (2,6): R = 3/12 = 0.25, d = 0, −0.5, 0.5, var(d) = 0.5/2 = 0.25; ȳ = 4
    // Var(R) = 0.25 / (3 · 16) = 0.0052083…
    close(
      ratioVariance(
        moments([
          [1, 4],
          [0, 2],
          [2, 6],
        ]),
      ),
      0.25 / 48,
      1e-15,
    );
  });

  it("fewer than two users, or no denominator, is absent rather than NaN", () => {
    assert.equal(ratioEstimate(moments([[1, 3]])), undefined);
    assert.equal(ratioEstimate(moments([])), undefined);
  });

  it("a difference adds the arms' variances and divides by the control for the relative figure", () => {
    const c = { value: 0.1, variance: 4e-6, standardError: 0.002, ci: { low: 0, high: 0 }, users: 10 };
    const t = { value: 0.12, variance: 5e-6, standardError: 0, ci: { low: 0, high: 0 }, users: 10 };
    const d = ratioDifference(t, c);
    close(d.absolute, 0.02, 1e-15);
    close(d.relative, 0.2, 1e-12); // 0.02 / 0.1
    close(d.variance, 9e-6, 1e-18);
    close(d.standardError, 0.003, 1e-15); // sqrt(9e-6)
  });
});

describe("mSPRT (normal mixture)", () => {
  it("Λ and p for Δ̂ = 0.02 and 0.04 with V = τ² = 1e-4", () => {
    // V/(V+τ²) = 1/2, sqrt = 0.70710678; exponent τ²Δ̂²/(2V(V+τ²)):
    //   Δ̂ = 0.02: 1e-4·4e-4 / (2·1e-4·2e-4) = 4e-8/4e-8 = 1  -> Λ = 0.70710678·e   = 1.9221154
    //   Δ̂ = 0.04: 1e-4·1.6e-3 / 4e-8 = 4                    -> Λ = 0.70710678·54.59815 = 38.606722
    close(msprtLambda(0.02, 1e-4, 0.01), Math.SQRT1_2 * Math.E, 1e-9);
    close(msprtLambda(0.04, 1e-4, 0.01), 38.606722, 1e-5);
    close(msprtLookPValue(0.02, 1e-4, 0.01), 1 / 1.9221154, 1e-6); // 0.520261
    close(msprtLookPValue(0.04, 1e-4, 0.01), 1 / 38.606722, 1e-8); // 0.025902
    // Δ̂ = 0: Λ = 0.7071 < 1, so p = min(1, 1.414) = 1
    assert.equal(msprtLookPValue(0, 1e-4, 0.01), 1);
  });

  it("the always-valid p is the running minimum, and the sequence is the running intersection", () => {
    const looks: (LookEstimate | undefined)[] = [
      undefined,
      { estimate: 0.04, variance: 1e-4 },
      { estimate: 0.02, variance: 1e-4 },
    ];
    const s = msprtSequence(looks, 0.01, 0.05);
    assert.equal(s[0], undefined);
    close(s[1]!.alwaysValidP, 0.025902, 1e-6);
    close(s[2]!.lookPValue, 0.520261, 1e-6);
    close(s[2]!.alwaysValidP, 0.025902, 1e-6); // min(0.0259, 0.5203)
    // radius at Δ̂ = 0.04: sqrt(V(V+τ²)/τ² · (ln 2 − 2 ln 0.05)) = sqrt(2e-4 · (0.693147 + 5.991465))
    //   = sqrt(0.00133692) = 0.0365639 -> [0.0034361, 0.0765639]; at 0.02: [−0.0165639, 0.0565639]
    close(s[1]!.confidenceSequence.low, 0.0034361, 1e-6);
    close(s[1]!.confidenceSequence.high, 0.0765639, 1e-6);
    close(s[2]!.confidenceSequence.low, 0.0034361, 1e-6); // max(0.0034, −0.0166)
    close(s[2]!.confidenceSequence.high, 0.0565639, 1e-6); // min(0.0766, 0.0566)
  });

  it("a look's interval holds 0 exactly when its p is at least alpha", () => {
    for (const estimate of [0.001, 0.01, 0.03, 0.036, 0.037, 0.05]) {
      const i = msprtInterval(estimate, 1e-4, 0.01, 0.05);
      assert.equal(
        i.low <= 0 && 0 <= i.high,
        msprtLookPValue(estimate, 1e-4, 0.01) >= 0.05,
        `Δ̂ = ${estimate}`,
      );
    }
  });

  it("τ is a share of the control's value, and absent at zero", () => {
    close(mixtureTau(0.08), 0.008, 1e-15); // 0.1 · 0.08
    close(mixtureTau(0.08, 0.2), 0.016, 1e-15);
    assert.equal(mixtureTau(0), undefined);
  });

  it("the fixed-horizon p is the two-sided z-test", () => {
    // z = 0.02 / sqrt(1e-4) = 2 -> 2·(1 − Φ(2)) = 2·0.0227501 = 0.0455003
    close(fixedHorizonPValue(0.02, 1e-4), 0.0455003, 1e-6);
    assert.equal(fixedHorizonPValue(0.02, 0), undefined);
  });
});

describe("sample-ratio mismatch", () => {
  it("900/100 against 90/10 fits exactly", () => {
    const c = sampleRatioCheck([900, 100], [0.9, 0.1])!;
    close(c.chiSquare, 0);
    close(c.pValue, 1);
    assert.equal(c.mismatch, false);
  });

  it("880/120 against 90/10: chi-square 4.444, p = 0.035, no mismatch at 0.001", () => {
    // expected 900/100: (880−900)²/900 + (120−100)²/100 = 400/900 + 400/100 = 0.4444 + 4 = 4.4444
    // one degree of freedom: p = P(Z² > 4.4444) = 2·(1 − Φ(2.108185)) = 0.035015
    const c = sampleRatioCheck([880, 120], [0.9, 0.1])!;
    close(c.chiSquare, 400 / 900 + 4, 1e-12);
    assert.equal(c.degreesOfFreedom, 1);
    close(c.pValue, 0.035015, 1e-6);
    assert.equal(c.mismatch, false);
  });

  it("850/150 against 90/10 is a mismatch", () => {
    // 2500/900 + 2500/100 = 2.7778 + 25 = 27.778 -> p = 1.36e-7 < 0.001
    const c = sampleRatioCheck([850, 150], [0.9, 0.1])!;
    close(c.chiSquare, 2500 / 900 + 25, 1e-12);
    close(c.pValue, 1.36e-7, 1e-8);
    assert.equal(c.mismatch, true);
  });

  it("no users is no check", () => {
    assert.equal(sampleRatioCheck([0, 0], [0.5, 0.5]), undefined);
  });
});

describe("proportions per position", () => {
  it("Wilson interval for 10 clicks in 100", () => {
    // p = 0.1, z² = 3.841459, z²/n = 0.0384146
    // centre = (p + z²/2n)/(1 + z²/n) = (0.1 + 0.0192073)/1.0384146 = 0.1147974
    // half = z·sqrt(p(1−p)/n + z²/4n²)/(1 + z²/n) = 1.959964·sqrt(0.0009 + 0.0000960365)/1.0384146
    //      = 1.959964·0.0315600/1.0384146 = 0.0595683
    const e = proportionEstimate(10, 100)!;
    close(e.ci.low, 0.1147974 - 0.0595683, 1e-6);
    close(e.ci.high, 0.1147974 + 0.0595683, 1e-6);
    assert.equal(proportionEstimate(0, 0), undefined);
  });
});

describe("A/A calibration", () => {
  it("200 A/A tests of 14 daily looks: always-valid false positives stay near alpha", (t) => {
    const random = seededRandom(14);
    const tests = 200;
    let alwaysValidFalse = 0;
    let peekingFalse = 0;
    let finalLookFalse = 0;
    for (let k = 0; k < tests; k++) {
      // Per arm: users join daily, come back at random, and click with their own rate (users differ,
      // which is why the variance must come from per-user totals, not from impressions).
      const arms = [0, 1].map(() => ({ rate: [] as number[], x: [] as number[], y: [] as number[] }));
      const looks: LookEstimate[] = [];
      let peeked = false;
      let firstControl: number | undefined;
      for (let day = 0; day < 14; day++) {
        for (const a of arms) {
          for (let j = 0; j < 25; j++) {
            a.rate.push(0.2 * random()); // mean 0.1
            a.x.push(0);
            a.y.push(0);
          }
          for (let u = 0; u < a.rate.length; u++) {
            if (a.y[u]! > 0 && random() > 0.3) continue;
            const shown = 1 + Math.floor(random() * 10);
            let clicks = 0;
            for (let i = 0; i < shown; i++) if (random() < a.rate[u]!) clicks++;
            a.x[u]! += clicks;
            a.y[u]! += shown;
          }
        }
        const [c, tr] = arms.map((a) => ratioEstimate(moments(a.x.map((x, u) => [x, a.y[u]!]))));
        const d = ratioDifference(tr!, c!);
        // τ is fixed from the control at the first look, as the report fixes it
        firstControl ??= c!.value;
        looks.push({ estimate: d.absolute, variance: d.variance });
        if (fixedHorizonPValue(d.absolute, d.variance)! < 0.05) peeked = true;
      }
      const seq = msprtSequence(looks, mixtureTau(firstControl!)!, 0.05);
      if (seq.at(-1)!.alwaysValidP < 0.05) alwaysValidFalse++;
      if (peeked) peekingFalse++;
      const last = looks.at(-1)!;
      if (fixedHorizonPValue(last.estimate, last.variance)! < 0.05) finalLookFalse++;
    }
    const rate = alwaysValidFalse / tests;
    t.diagnostic(
      `A/A false positives at alpha 0.05: always-valid ${rate.toFixed(3)}, fixed-horizon read once at day 14 ${(finalLookFalse / tests).toFixed(3)}, fixed-horizon read daily ${(peekingFalse / tests).toFixed(3)}`,
    );
    assert.ok(rate <= 0.07, `always-valid false-positive rate ${rate}`);
    // Read once, the plain test holds its level: the delta-method variance is about right
    // (200 tests: 0.05 ± 0.015 standard error).
    assert.ok(finalLookFalse / tests <= 0.1, `fixed-horizon at day 14: ${finalLookFalse / tests}`);
    // The reason for the mSPRT: reading the plain p daily rejects far more often.
    assert.ok(peekingFalse > alwaysValidFalse, `peeking ${peekingFalse} vs always-valid ${alwaysValidFalse}`);
  });
});
