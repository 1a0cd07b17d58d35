import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FEATURES, rankingFeatures } from "../../src/recommend/rank/ranking-features.js";

describe("ranking features", () => {
  it("computes each column by hand, in the documented order", () => {
    const day = 86_400_000;
    const last = new Date(Date.UTC(2024, 5, 10));
    const rows = rankingFeatures(
      [
        {
          videoId: "a",
          creatorId: "c1",
          distance: 0.25,
          createdAt: new Date(last.getTime() - 2 * day),
          playCount: 99,
          commentCount: 9,
          language: "en",
          vector: [1, 0, 0],
        },
        {
          videoId: "b",
          creatorId: "c2",
          distance: 0.5,
          createdAt: new Date(last.getTime() + 400 * day),
          playCount: 0,
          commentCount: 0,
          language: "de",
          vector: [0, 2, 0],
        },
      ],
      // Centroids are not unit length: the similarities are cosines all the same.
      {
        affinity: new Map([["c1", 0.75]]),
        lastActiveAt: last,
        commentVector: [2, 0, 0],
        videoVector: [1, 1, 0],
        engagedVectors: [
          [0, 0, 3],
          [0, 1, 1],
        ],
        languageShare: new Map([["en", 0.75]]),
      },
    );
    const width = FEATURES.length;
    assert.equal(rows.length, 2 * width);
    const a = Array.from(rows.subarray(0, width));
    const b = Array.from(rows.subarray(width));
    // The last column, pairScore, is the pair scorer's to fill (rankedItems): 0 here.
    const expectA = [0.75, 0.75, 1, Math.log1p(99), Math.log1p(9), -2, 0, 1, 1, Math.SQRT1_2, 0, 0.75, 0];
    const expectB = [0.5, 0, 0, 0, 0, 365, 1, 0, 0, Math.SQRT1_2, Math.SQRT1_2, 0, 0];
    assert.equal(expectA.length, width);
    expectA.forEach((v, i) =>
      assert.ok(Math.abs(a[i]! - v) < 1e-5, `a.${FEATURES[i]!.name}: ${a[i]} vs ${v}`),
    );
    expectB.forEach((v, i) =>
      assert.ok(Math.abs(b[i]! - v) < 1e-5, `b.${FEATURES[i]!.name}: ${b[i]} vs ${v}`),
    );
  });

  it("without a past (cold start) the days and similarity columns are 0, and no candidates is an empty matrix", () => {
    const rows = rankingFeatures(
      [
        {
          videoId: "a",
          creatorId: "c",
          distance: 0,
          createdAt: new Date(0),
          playCount: 1,
          commentCount: 1,
          language: "en",
          vector: [1, 0],
        },
      ],
      { affinity: new Map() },
    );
    for (const name of ["daysFromLastActivity", "commentSim", "videoSim", "bestVideoSim", "languageMatch"])
      assert.equal(rows[FEATURES.findIndex((f) => f.name === name)], 0, name);
    assert.equal(rankingFeatures([], { affinity: new Map() }).length, 0);
  });
});
