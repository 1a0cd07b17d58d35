import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pairInputs, pairWidth } from "../../src/recommend/rank/pair-inputs.js";

const candidate = (vector?: number[]) => ({
  videoId: "v",
  creatorId: "c",
  distance: 0,
  createdAt: new Date(0),
  playCount: 0,
  commentCount: 0,
  vector,
});

describe("pairInputs", () => {
  it("multiplies the candidate's unit vector by each user vector's, and each half sums to the cosine", () => {
    const ctx = { affinity: new Map(), commentVector: [2, 0, 0], videoVector: [1, 1, 0] };
    const rows = pairInputs([candidate([3, 4, 0])], ctx, 3);
    assert.equal(rows.length, pairWidth(3));
    const [comment, video] = [Array.from(rows.subarray(0, 3)), Array.from(rows.subarray(3, 6))];
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum(comment) - 0.6) < 1e-6, `cosine to the comment centroid ${sum(comment)}`);
    assert.ok(
      Math.abs(sum(video) - 7 / (5 * Math.SQRT2)) < 1e-6,
      `cosine to the video centroid ${sum(video)}`,
    );
    assert.ok(Math.abs(comment[0]! - 0.6) < 1e-6 && comment[1] === 0);
  });

  it("gives zeros for a missing or foreign-dimension vector, on either side", () => {
    const ctx = { affinity: new Map(), commentVector: [1, 0, 0] };
    const rows = pairInputs([candidate(undefined), candidate([1, 0]), candidate([0, 0, 1])], ctx, 3);
    assert.equal(rows.length, 3 * 6);
    assert.ok(
      rows.every((x) => x === 0),
      "no vector, a 2-d vector, and an orthogonal one with no video centroid",
    );
  });
});
