import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { LearnedRanker } from "../../src/recommend/rank/learned-ranker.js";
import { rankedItems } from "../../src/recommend/rank/ranked-items.js";
import { FEATURES, readsVectors } from "../../src/recommend/rank/ranking-features.js";
import type { VideoHit } from "../../src/store/video-search.js";

const close = (a: number | undefined, b: number, eps = 1e-12) =>
  assert.ok(a !== undefined && Math.abs(a - b) < eps, `${a} != ${b}`);
const hit = (videoId: string, distance: number): VideoHit => ({
  uuid: videoId,
  videoId,
  creatorId: `c-${videoId}`,
  distance,
  createdAt: new Date(Date.UTC(2024, 0, 1)),
  playCount: 10,
  commentCount: 0,
  language: "en",
});

describe("rankedItems", () => {
  // Same plays and age: popularity 1, freshness 1 for both. No affinity: content weighs 0.7.
  // a: 0.7*0.9 + 0.1 + 0.2 = 0.93; b: 0.7*0.5 + 0.3 = 0.65
  const hits = [hit("b", 0.5), hit("a", 0.1)];

  it("without a learned ranker: the fixed blend's order and score, positions from 1, an empty trail", async () => {
    const items = await rankedItems(hits);
    assert.deepEqual(
      items.map((i) => [i.videoId, i.rankedPosition, i.creatorId, i.sponsored, i.rules]),
      [
        ["a", 1, "c-a", false, []],
        ["b", 2, "c-b", false, []],
      ],
    );
    close(items[0]!.score, 0.93);
    close(items[1]!.score, 0.65);
    close(items[0]!.similarity, 0.9);
    assert.equal(items[0]!.features!.length, FEATURES.length);
    close(items[0]!.features![0], 0.9, 1e-6); // "content" column (float32)
  });

  it("with a learned ranker: its score reorders, and each item keeps its own feature row", async () => {
    let seenRows = -1;
    const ranker: LearnedRanker = {
      modelId: "fake",
      features: FEATURES.map((f) => f.name),
      async score(_features, rows) {
        seenRows = rows;
        return Float32Array.of(0.25, 0.75); // rows in blend order: a, b
      },
      dispose: async () => {},
    };
    const items = await rankedItems(hits, { affinity: new Map() }, ranker);
    assert.equal(seenRows, 2);
    assert.deepEqual(
      items.map((i) => [i.videoId, i.rankedPosition, i.score]),
      [
        ["b", 1, 0.75],
        ["a", 2, 0.25],
      ],
    );
    close(items[0]!.features![0], 0.5, 1e-6); // b's content is 1 - 0.5
    close(items[0]!.signals.content, 0.5);
  });

  it("with a pair scorer: its scores fill the pairScore column the ranker reads, and explain shows them", async () => {
    const pairColumn = FEATURES.findIndex((f) => f.name === "pairScore");
    const withVectors = [
      { ...hit("b", 0.5), vector: [0, 1] },
      { ...hit("a", 0.1), vector: [1, 0] },
    ];
    let pairRows: number[][] = [];
    let rankerSaw: number[] = [];
    const ranker: LearnedRanker = {
      modelId: "fake",
      features: FEATURES.map((f) => f.name),
      pairScorer: {
        dimension: 2,
        async score(inputs, rows) {
          pairRows = Array.from({ length: rows }, (_, i) => Array.from(inputs.subarray(i * 4, i * 4 + 4)));
          return Float32Array.of(0.125, 0.875);
        },
        dispose: async () => {},
      },
      async score(features, rows) {
        rankerSaw = Array.from({ length: rows }, (_, i) => features[i * FEATURES.length + pairColumn]!);
        return Float32Array.of(0.9, 0.1);
      },
      dispose: async () => {},
    };
    const ctx = { affinity: new Map(), commentVector: [3, 4], videoVector: [0, 2] };
    const items = await rankedItems(withVectors, ctx, ranker);
    // Rows in blend order (a, b): a = [1,0] * [0.6,0.8] and * [0,1]; b = [0,1] * the same.
    assert.deepEqual(pairRows, [
      [0.6000000238418579, 0, 0, 0],
      [0, 0.800000011920929, 0, 1],
    ]);
    assert.deepEqual(rankerSaw, [0.125, 0.875]);
    assert.deepEqual(
      items.map((i) => [i.videoId, i.features![pairColumn]]),
      [
        ["a", 0.125],
        ["b", 0.875],
      ],
    );
    assert.equal(items[0]!.pairInputs, undefined, "pair rows are kept only when asked (training)");
  });

  it("no hits: no items", async () => {
    assert.deepEqual(await rankedItems([]), []);
  });
});

describe("readsVectors", () => {
  it("true only when a vector feature is among those read", () => {
    assert.equal(readsVectors(["content", "affinity", "logPlays", "languageMatch"]), false);
    assert.equal(readsVectors(["content", "bestVideoSim"]), true);
    assert.equal(readsVectors(["commentSim"]), true);
    assert.equal(readsVectors([]), false);
    assert.equal(readsVectors(["pairScore"]), true);
  });
});
