import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { blendScore, FIXED_WEIGHTS, rankFixedBlend } from "../../src/recommend/rank/fixed-blend.js";

const close = (a: number | undefined, b: number) =>
  assert.ok(a !== undefined && Math.abs(a - b) < 1e-12, `${a} != ${b}`);
const day = 86_400_000;
const t0 = Date.UTC(2024, 0, 1);
const c = (videoId: string, creatorId: string, distance: number, playCount: number, days: number) => ({
  videoId,
  creatorId,
  distance,
  playCount,
  createdAt: new Date(t0 + days * day),
});

describe("fixed blend", () => {
  // plays 99 / 9 / 0: popularity ln100/ln100 = 1, ln10/ln100 = 0.5, 0
  // created day 0 / 10 / 20: freshness 0, 0.5, 1
  const candidates = [c("a", "c1", 0.2, 99, 0), c("b", "c2", 0.5, 9, 10), c("c", "c3", 0.1, 0, 20)];

  it("scales popularity and freshness within the candidate set", () => {
    const byId = new Map(rankFixedBlend(candidates).map((r) => [r.item.videoId, r.signals]));
    const [a, b, cc] = [byId.get("a")!, byId.get("b")!, byId.get("c")!];
    close(a.content, 0.8);
    close(a.popularity, 1);
    close(a.freshness, 0);
    close(b.content, 0.5);
    close(b.popularity, 0.5);
    close(b.freshness, 0.5);
    close(cc.content, 0.9);
    close(cc.popularity, 0);
    close(cc.freshness, 1);
  });

  it("with affinity: 0.4 content + 0.3 affinity + 0.15 popularity + 0.15 freshness", () => {
    // a: 0.32 + 0.3*0.5 + 0.15 + 0 = 0.62; b: 0.2 + 0 + 0.075 + 0.075 = 0.35; c: 0.36 + 0 + 0 + 0.15 = 0.51
    const ranked = rankFixedBlend(candidates, new Map([["c1", 0.5]]));
    assert.deepEqual(
      ranked.map((r) => r.item.videoId),
      ["a", "c", "b"],
    );
    [0.62, 0.51, 0.35].forEach((s, i) => close(ranked[i]!.score, s));
    close(ranked[0]!.signals.affinity, 0.5);
    assert.equal(ranked[1]!.signals.affinity, 0); // c3 not in the map
  });

  it("without affinity its weight goes to content (0.7)", () => {
    // a: 0.56 + 0.15 + 0 = 0.71; b: 0.35 + 0.075 + 0.075 = 0.5; c: 0.63 + 0 + 0.15 = 0.78
    const ranked = rankFixedBlend(candidates);
    assert.deepEqual(
      ranked.map((r) => r.item.videoId),
      ["c", "a", "b"],
    );
    [0.78, 0.71, 0.5].forEach((s, i) => close(ranked[i]!.score, s));
  });

  it("a single candidate is the most popular and the freshest of its set", () => {
    // content 0.7, popularity 1, freshness 1: 0.7*0.7 + 0.15 + 0.15 = 0.79
    const [only] = rankFixedBlend([c("x", "c1", 0.3, 5, 0)]);
    const { content, affinity, popularity, freshness } = only!.signals;
    [content, affinity, popularity, freshness].forEach((v, i) => close(v, [0.7, 0, 1, 1][i]!));
    close(only!.score, 0.79);
    // no plays at all: popularity 0 (not 0/0): 0.49 + 0 + 0.15 = 0.64
    close(rankFixedBlend([c("x", "c1", 0.3, 0, 0)])[0]!.score, 0.64);
  });

  it("equal candidates score the same and are ordered by video id; no candidates, no ranking", () => {
    const ranked = rankFixedBlend([
      c("v2", "c1", 0.4, 3, 1),
      c("v1", "c2", 0.4, 3, 1),
      c("v3", "c3", 0.4, 3, 1),
    ]);
    assert.deepEqual(
      ranked.map((r) => r.item.videoId),
      ["v1", "v2", "v3"],
    );
    // 0.7*0.6 + 0.15*1 + 0.15*1 = 0.72
    ranked.forEach((r) => close(r.score, 0.72));
    assert.deepEqual(rankFixedBlend([]), []);
  });
});

describe("blendScore", () => {
  it("the weighted sum of the four signals", () => {
    close(blendScore({ content: 1, affinity: 1, popularity: 1, freshness: 1 }), 1);
    // 0.4*0.5 + 0.3*1 + 0.15*0 + 0.15*0.2 = 0.2 + 0.3 + 0.03 = 0.53
    close(blendScore({ content: 0.5, affinity: 1, popularity: 0, freshness: 0.2 }), 0.53);
    close(
      blendScore(
        { content: 0.5, affinity: 1, popularity: 0, freshness: 0.2 },
        { content: 0, affinity: 0, popularity: 1, freshness: 2 },
      ),
      0.4,
    );
    assert.deepEqual(FIXED_WEIGHTS, { content: 0.4, affinity: 0.3, popularity: 0.15, freshness: 0.15 });
  });
});
