import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { batches, meanPoolNormalise } from "../../src/embed/encoder.js";

describe("encoder batching", () => {
  it("caps rows and padded tokens, and never leaves a text out", () => {
    const lengths = [3, 4, 4, 10, 10, 10, 40, 300];
    const got = batches(lengths, 3, 32);
    assert.deepEqual(got, [[0, 1, 2], [3, 4, 5], [6], [7]]);
    assert.deepEqual(
      got.flat(),
      lengths.map((_, i) => i),
    );
  });

  it("handles nothing", () => assert.deepEqual(batches([], 32, 1024), []));
});

describe("mean pooling", () => {
  it("averages only a row's real tokens and L2-normalises", () => {
    const dim = 384;
    const hidden = new Float32Array(2 * 3 * dim);
    hidden.fill(1, 0, dim); // row 0, token 0
    hidden.fill(3, dim, 2 * dim); // row 0, token 1
    hidden.fill(100, 2 * dim, 3 * dim); // row 0, padding: must be ignored
    hidden.fill(-2, 3 * dim, 4 * dim); // row 1, token 0
    const [a, b] = meanPoolNormalise(hidden, [2, 1], 3);
    const unit = 1 / Math.sqrt(dim);
    assert.ok(a!.every((x) => Math.abs(x - unit) < 1e-6));
    assert.ok(b!.every((x) => Math.abs(x + unit) < 1e-6));
  });
});
