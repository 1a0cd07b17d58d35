import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { interestQuery } from "../../src/recommend/recall/recall-videos.js";

const closeVec = (a: number[] | undefined, b: number[]) => {
  assert.ok(a !== undefined && a.length === b.length, `${a} vs ${b}`);
  a.forEach((x, i) => assert.ok(Math.abs(x - b[i]!) < 1e-12, `${a} vs ${b}`));
};

describe("interestQuery", () => {
  it("blends 0.7 engaged-videos + 0.3 comments, back to unit length", () => {
    // 0.7*[1,0] + 0.3*[0,1] = [0.7, 0.3], |.| = sqrt(0.58)
    closeVec(interestQuery([1, 0], [0, 1]), [0.7 / Math.sqrt(0.58), 0.3 / Math.sqrt(0.58)]);
  });

  it("takes another video weight", () => {
    // 0.5*[1,0] + 0.5*[0,1] = [0.5, 0.5] -> [1/sqrt2, 1/sqrt2]
    closeVec(interestQuery([1, 0], [0, 1], 0.5), [Math.SQRT1_2, Math.SQRT1_2]);
  });

  it("either vector alone when the other is missing; neither: undefined", () => {
    const video = [0.6, 0.8];
    const comment = [0, 1];
    assert.equal(interestQuery(video, undefined), video);
    assert.equal(interestQuery(undefined, comment), comment);
    assert.equal(interestQuery(undefined, undefined), undefined);
  });

  it("opposite vectors that cancel out: the engaged-videos vector, not a zero vector", () => {
    // 0.5*[1,0] + 0.5*[-1,0] = [0,0]
    assert.deepEqual(interestQuery([1, 0], [-1, 0], 0.5), [1, 0]);
  });
});
