import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fitLinear, project } from "../../bench/harness/scale-projection.js";

describe("scale projection (bytes = fixed + perVector x N)", () => {
  it("recovers the line exactly from points on it, with no fit or hold-out error", () => {
    const points = [100_000, 300_000, 1_000_000].map((size) => ({ size, bytes: 200e6 + 1_800 * size }));
    const fit = fitLinear(points);
    assert.ok(Math.abs(fit.fixedBytes - 200e6) < 1);
    assert.ok(Math.abs(fit.bytesPerVector - 1_800) < 1e-6);
    assert.ok(fit.maxAbsRelError < 1e-9);
    assert.ok(Math.abs(fit.holdOutRelError!) < 1e-9);
    assert.ok(Math.abs(project(fit, 5_000_000) - (200e6 + 1_800 * 5e6)) < 10);
  });

  it("reports the error at each size and the hold-out error of the largest", () => {
    // The largest size sits 10% above the line through the two smaller ones.
    const points = [
      { size: 100_000, bytes: 1_000 * 100_000 },
      { size: 200_000, bytes: 1_000 * 200_000 },
      { size: 400_000, bytes: 1.1 * 1_000 * 400_000 },
    ];
    const fit = fitLinear(points);
    assert.ok(Math.abs(fit.holdOutRelError! - (400e6 - 440e6) / 440e6) < 1e-9);
    assert.equal(fit.errors.length, 3);
    assert.ok(fit.maxAbsRelError > 0.01, "a bent series is not fitted exactly");
    const fitted = fit.errors.map((e) => e.fitted);
    assert.ok(fitted[0]! < fitted[1]! && fitted[1]! < fitted[2]!);
  });

  it("leaves out the hold-out check with two sizes and refuses one", () => {
    const fit = fitLinear([
      { size: 10, bytes: 100 },
      { size: 20, bytes: 150 },
    ]);
    assert.equal(fit.holdOutRelError, undefined);
    assert.equal(fit.bytesPerVector, 5);
    assert.throws(() => fitLinear([{ size: 10, bytes: 100 }]), /at least two sizes/);
    assert.throws(
      () =>
        fitLinear([
          { size: 10, bytes: 100 },
          { size: 10, bytes: 120 },
        ]),
      /distinct sizes/,
    );
  });
});
