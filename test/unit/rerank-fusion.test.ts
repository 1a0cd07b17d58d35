import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rankedItem } from "../helpers/items.js";
import type { RecommendedItem } from "../../src/domain/recommended-item.js";
import { fuseHead } from "../../src/recommend/rerank/rerank-stage.js";

const item = (videoId: string, rankedPosition: number) => rankedItem(videoId, rankedPosition);

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
    assert.deepEqual(
      ["a", "b", "c", "d"].map((id) => [
        byId.get(id)!.blendPosition,
        byId.get(id)!.rerankPosition,
        byId.get(id)!.rerankScore,
      ]),
      [
        [1, 3, 0.5],
        [2, 4, 0.1],
        [3, 2, 0.9],
        [4, 1, 2.0],
      ],
    );
  });
});

describe("rerank fusion, edge cases", () => {
  const abc = ["a", "b", "c"].map((id, k) => item(id, k + 1));
  // cross-encoder places: c 1st (0.9), a 2nd (0.5), b 3rd (0.1)
  const fused = (head: RecommendedItem[], scores: ArrayLike<number>, weight: number) =>
    fuseHead(head, scores, weight).map((i) => i.videoId);

  it("weights between the ends: 0.25 leans to the ranker, 0.75 to the cross-encoder", () => {
    // 0.25: a 0.75+0.5=1.25, b 1.5+0.75=2.25, c 2.25+0.25=2.5 -> a b c
    assert.deepEqual(fused(abc, [0.5, 0.1, 0.9], 0.25), ["a", "b", "c"]);
    // 0.75: a 0.25+1.5=1.75, b 0.5+2.25=2.75, c 0.75+0.75=1.5 -> c a b
    assert.deepEqual(fused(abc, [0.5, 0.1, 0.9], 0.75), ["c", "a", "b"]);
  });

  it("tied cross-encoder scores take their places in the ranker's order", () => {
    const head = ["a", "b", "c", "d"].map((id, k) => item(id, k + 1));
    // scores 1 3 3 1: b 1st, c 2nd (tie, ranker order), a 3rd, d 4th
    const out = fuseHead(head, [1, 3, 3, 1], 1);
    assert.deepEqual(
      out.map((i) => [i.videoId, i.rerankPosition]),
      [
        ["b", 1],
        ["c", 2],
        ["a", 3],
        ["d", 4],
      ],
    );
    // weight 0.5: a (1+3)/2=2, b (2+1)/2=1.5, c (3+2)/2=2.5, d 4 -> b a c d
    assert.deepEqual(fused(head, [1, 3, 3, 1], 0.5), ["b", "a", "c", "d"]);
    // all tied: the ranker's order at any weight
    assert.deepEqual(fused(head, [0, 0, 0, 0], 1), ["a", "b", "c", "d"]);
  });

  it("weight 0 ignores the scores entirely, weight 1 ignores the ranker's order", () => {
    assert.deepEqual(fused(abc, [-9, 0, 9], 0), ["a", "b", "c"]);
    assert.deepEqual(fused(abc, [-9, 0, 9], 1), ["c", "b", "a"]);
  });

  it("a head of one item, and an empty head", () => {
    const [only] = fuseHead([item("x", 1)], Float32Array.of(-3), 0.5);
    assert.deepEqual(
      [only!.videoId, only!.blendPosition, only!.rerankPosition, only!.rerankScore],
      ["x", 1, 1, -3],
    );
    assert.deepEqual(fuseHead([], [], 0.5), []);
  });

  it("keeps a blendPosition set earlier, and does not modify the head", () => {
    const head = [{ ...item("a", 1), blendPosition: 7 }, item("b", 2)];
    const out = fuseHead(head, [0, 1], 1);
    assert.deepEqual(
      out.map((i) => [i.videoId, i.blendPosition]),
      [
        ["b", 2],
        ["a", 7],
      ],
    );
    assert.equal(head[0]!.rerankScore, undefined);
    assert.equal(head[1]!.rerankPosition, undefined);
  });
});
