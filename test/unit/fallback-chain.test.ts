import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { centroid, chooseQuery } from "../../src/recommend/query/fallback-chain.js";

const closeVec = (a: number[] | undefined, b: number[]) => {
  assert.ok(a !== undefined && a.length === b.length, `${a} vs ${b}`);
  a.forEach((x, i) => assert.ok(Math.abs(x - b[i]!) < 1e-12, `${a} vs ${b}`));
};

describe("cold-start fallback chain (minComments 5)", () => {
  const own = [1, 0];
  const cohort = [0, 1];
  const onboarding = [0.6, 0.8];
  const minComments = 5;

  it("enough comments: personal on the user's own vector, whatever else there is", () => {
    assert.deepEqual(chooseQuery({ own, commentCount: 5, cohort, onboarding, minComments }), {
      source: "personal",
      vector: own,
    });
    assert.deepEqual(chooseQuery({ own, commentCount: 40, minComments }), {
      source: "personal",
      vector: own,
    });
  });

  it("a few comments and a cohort: blend weighted commentCount / minComments, unit length", () => {
    // weight 2/5 = 0.4: 0.4*[1,0] + 0.6*[0,1] = [0.4, 0.6], |.| = sqrt(0.52)
    const r = chooseQuery({ own, commentCount: 2, cohort, onboarding, minComments });
    assert.equal(r.source, "blend");
    closeVec(r.vector, [0.4 / Math.sqrt(0.52), 0.6 / Math.sqrt(0.52)]);
  });

  it("an own vector with 0 comments counts as 1 comment in the blend", () => {
    // weight max(0,1)/5 = 0.2: [0.2, 0.8], |.| = sqrt(0.68)
    const r = chooseQuery({ own, commentCount: 0, cohort, minComments });
    assert.equal(r.source, "blend");
    closeVec(r.vector, [0.2 / Math.sqrt(0.68), 0.8 / Math.sqrt(0.68)]);
  });

  it("onboarding only, with a cohort: blend at weight 0.5", () => {
    // 0.5*[0.6,0.8] + 0.5*[0,1] = [0.3, 0.9], |.| = sqrt(0.9)
    const r = chooseQuery({ commentCount: 0, onboarding, cohort, minComments });
    assert.equal(r.source, "blend");
    closeVec(r.vector, [0.3 / Math.sqrt(0.9), 0.9 / Math.sqrt(0.9)]);
  });

  it("a thin signal without a cohort serves alone as personal; own is preferred to onboarding", () => {
    assert.deepEqual(chooseQuery({ own, commentCount: 2, onboarding, minComments }), {
      source: "personal",
      vector: own,
    });
    assert.deepEqual(chooseQuery({ commentCount: 0, onboarding, minComments }), {
      source: "personal",
      vector: onboarding,
    });
  });

  it("no signal of one's own: the cohort's vector (bucket), even with many comments but no vector", () => {
    assert.deepEqual(chooseQuery({ commentCount: 0, cohort, minComments }), {
      source: "bucket",
      vector: cohort,
    });
    assert.deepEqual(chooseQuery({ commentCount: 9, cohort, minComments }), {
      source: "bucket",
      vector: cohort,
    });
  });

  it("nothing at all: popular and fresh, no vector", () => {
    assert.deepEqual(chooseQuery({ commentCount: 0, minComments }), { source: "popularAndFresh" });
    assert.deepEqual(chooseQuery({ commentCount: 12, minComments }), { source: "popularAndFresh" });
  });
});

describe("centroid", () => {
  it("mean of unit vectors, back to unit length", () => {
    // [1,0] + [0,1] = [1,1] -> [1/sqrt2, 1/sqrt2]
    closeVec(
      centroid([
        [1, 0],
        [0, 1],
      ]),
      [Math.SQRT1_2, Math.SQRT1_2],
    );
    // [1,0,0] + [1,0,0] + [0,0,1] = [2,0,1] -> /sqrt5
    closeVec(
      centroid([
        [1, 0, 0],
        [1, 0, 0],
        [0, 0, 1],
      ]),
      [2 / Math.sqrt(5), 0, 1 / Math.sqrt(5)],
    );
    closeVec(centroid([[0, -1]]), [0, -1]);
  });
});
