import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RecommendedItem } from "../../src/domain/recommended-item.js";
import { fuseHead } from "../../src/recommend/rerank/rerank-stage.js";

const item = (videoId: string, rankedPosition: number): RecommendedItem => ({
  videoId,
  creatorId: "c",
  score: 0,
  similarity: 0,
  signals: { content: 0, affinity: 0, popularity: 0, freshness: 0 },
  rankedPosition,
  rules: [],
  sponsored: false,
});

describe("rerank fusion of the head", () => {
  // Ranker order a, b, c, d; the cross-encoder prefers d, c, a, b.
  const head = ["a", "b", "c", "d"].map((id, k) => item(id, k + 1));
  const scores = [0.5, 0.1, 0.9, 2.0];
  const ids = (weight: number) => fuseHead(head, scores, weight).map((i) => i.videoId);

  it("weight 0 keeps the ranker's order, weight 1 is the cross-encoder's order", () => {
    assert.deepEqual(ids(0), ["a", "b", "c", "d"]);
    assert.deepEqual(ids(1), ["d", "c", "a", "b"]);
  });

  it("weight 0.5 sums the two places, ties kept in the ranker's order", () => {
    // places (ranker + cross-encoder): a 1+3=4, b 2+4=6, c 3+2=5, d 4+1=5
    assert.deepEqual(ids(0.5), ["a", "c", "d", "b"]);
  });

  it("records each item's place by both models", () => {
    const byId = new Map(fuseHead(head, scores, 0.5).map((i) => [i.videoId, i]));
    assert.deepEqual(["a", "b", "c", "d"].map((id) => [byId.get(id)!.blendPosition, byId.get(id)!.rerankPosition, byId.get(id)!.rerankScore]), [
      [1, 3, 0.5],
      [2, 4, 0.1],
      [3, 2, 0.9],
      [4, 1, 2.0],
    ]);
  });
});
