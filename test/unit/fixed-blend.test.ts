import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  blendScore,
  FIXED_WEIGHTS,
  rankFixedBlend,
  weightsFor,
} from "../../src/recommend/rank/fixed-blend.js";

const close = (a: number | undefined, b: number) =>
  assert.ok(a !== undefined && Math.abs(a - b) < 1e-12, `${a} != ${b}`);
const day = 86_400_000;
const t0 = Date.UTC(2024, 0, 1);
const at = (days: number) => new Date(t0 + days * day);
const c = (videoId: string, creatorId: string, distance: number, playCount: number, days: number) => ({
  videoId,
  creatorId,
  distance,
  playCount,
  createdAt: at(days),
});

describe("fixed blend", () => {
  // plays 99 / 9 / 0: popularity ln100/ln100 = 1, ln10/ln100 = 0.5, 0
  // created day 0 / 10 / 20: freshness 0, 0.5, 1
  const candidates = [c("a", "c1", 0.2, 99, 0), c("b", "c2", 0.5, 9, 10), c("c", "c3", 0.1, 0, 20)];

  it("scales popularity and freshness within the candidate set; activity is 1 / (1 + days / 30) from the last comment", () => {
    // last comment on day 30: 30, 20 and 10 days away -> 1/2, 3/5, 3/4 (before or after counts the same)
    const ranked = rankFixedBlend(candidates, new Map(), { lastActiveAt: at(30) });
    const byId = new Map(ranked.map((r) => [r.item.videoId, r.signals]));
    assert.deepEqual(byId.get("a"), {
      content: 0.8,
      affinity: 0,
      popularity: 1,
      freshness: 0,
      activity: 0.5,
    });
    const [b, cc] = [byId.get("b")!, byId.get("c")!];
    [b.content, b.popularity, b.freshness, b.activity].forEach((v, i) => close(v, [0.5, 0.5, 0.5, 0.6][i]!));
    [cc.content, cc.popularity, cc.freshness, cc.activity].forEach((v, i) => close(v, [0.9, 0, 1, 0.75][i]!));
    close(
      rankFixedBlend([c("x", "c1", 0, 1, 40)], new Map(), { lastActiveAt: at(30) })[0]!.signals.activity,
      0.75,
    );
    // no last comment: activity 0 for every candidate
    assert.ok(rankFixedBlend(candidates).every((r) => r.signals.activity === 0));
  });

  it("with affinity and a last comment: 0.1 content + 0.4 affinity + 0.1 popularity + 0.2 freshness + 0.2 activity", () => {
    // a: 0.08 + 0.4*0.5 + 0.1 + 0 + 0.2*0.5 = 0.48
    // b: 0.05 + 0 + 0.05 + 0.1 + 0.2*0.6 = 0.32;  c: 0.09 + 0 + 0 + 0.2 + 0.2*0.75 = 0.44
    const ranked = rankFixedBlend(candidates, new Map([["c1", 0.5]]), { lastActiveAt: at(30) });
    assert.deepEqual(
      ranked.map((r) => r.item.videoId),
      ["a", "c", "b"],
    );
    [0.48, 0.44, 0.32].forEach((s, i) => close(ranked[i]!.score, s));
    close(ranked[0]!.signals.affinity, 0.5);
    assert.equal(ranked[1]!.signals.affinity, 0); // c3 not in the map
  });

  it("among one creator's videos, the one posted near the user's last comment wins (what affinity cannot tell)", () => {
    // Same creator, content and plays; the user last commented on day 100. Freshness alone
    // would rank the newest (day 300) first; closeness to day 100 ranks the day-95 video first:
    // near: 0.06 + 0.2 + 0.1 + 0.2*(95/300) + 0.2/(1 + 5/30) = 0.6347...; new: 0.06 + 0.2 + 0.1 + 0.2 + 0.2/(1 + 200/30) = 0.5860...
    const sameCreator = [c("old", "c1", 0.4, 5, 0), c("near", "c1", 0.4, 5, 95), c("new", "c1", 0.4, 5, 300)];
    const ranked = rankFixedBlend(sameCreator, new Map([["c1", 0.5]]), { lastActiveAt: at(100) });
    assert.deepEqual(
      ranked.map((r) => r.item.videoId),
      ["near", "new", "old"],
    );
    close(ranked[0]!.score, 0.36 + 0.2 * (95 / 300) + 0.2 / (1 + 5 / 30));
    // and the old blend's order without the last comment: newest first
    assert.equal(rankFixedBlend(sameCreator, new Map([["c1", 0.5]]))[0]!.item.videoId, "new");
  });

  it("affinity outweighs content: a commented creator's video beats a more similar one by a new creator", () => {
    // Same post day (the last comment's) and plays: popularity, freshness, activity 1 for both.
    // known: 0.1*0.4 + 0.4*0.5 + 0.5 = 0.74; unknown: 0.1*0.9 + 0 + 0.5 = 0.59
    const pair = [c("known", "c1", 0.6, 5, 10), c("unknown", "c2", 0.1, 5, 10)];
    const ranked = rankFixedBlend(pair, new Map([["c1", 0.5]]), { lastActiveAt: at(10) });
    assert.deepEqual(
      ranked.map((r) => [r.item.videoId, Number(r.score.toFixed(12))]),
      [
        ["known", 0.74],
        ["unknown", 0.59],
      ],
    );
    // The issue-7 weights put content first: known 0.16 + 0.15 + 0.3 = 0.61 < unknown 0.36 + 0.3 = 0.66
    const issue7 = { content: 0.4, affinity: 0.3, popularity: 0.15, freshness: 0.15, activity: 0 };
    const before = rankFixedBlend(pair, new Map([["c1", 0.5]]), { lastActiveAt: at(10) }, issue7);
    assert.equal(before[0]!.item.videoId, "unknown");
  });

  it("without affinity and a last comment (cold start, more like this) their weights go to content (0.7)", () => {
    // a: 0.56 + 0.1 + 0 = 0.66; b: 0.35 + 0.05 + 0.1 = 0.5; c: 0.63 + 0 + 0.2 = 0.83
    const ranked = rankFixedBlend(candidates);
    assert.deepEqual(
      ranked.map((r) => r.item.videoId),
      ["c", "a", "b"],
    );
    [0.83, 0.66, 0.5].forEach((s, i) => close(ranked[i]!.score, s));
  });

  it("a single candidate is the most popular and the freshest of its set", () => {
    // content 0.7, popularity 1, freshness 1: 0.7*0.7 + 0.1 + 0.2 = 0.79
    const [only] = rankFixedBlend([c("x", "c1", 0.3, 5, 0)]);
    const { content, affinity, popularity, freshness } = only!.signals;
    [content, affinity, popularity, freshness].forEach((v, i) => close(v, [0.7, 0, 1, 1][i]!));
    close(only!.score, 0.79);
    // no plays at all: popularity 0 (not 0/0): 0.49 + 0 + 0.2 = 0.69
    close(rankFixedBlend([c("x", "c1", 0.3, 0, 0)])[0]!.score, 0.69);
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
    // 0.7*0.6 + 0.1*1 + 0.2*1 = 0.72
    ranked.forEach((r) => close(r.score, 0.72));
    assert.deepEqual(rankFixedBlend([]), []);
  });
});

describe("weightsFor and blendScore", () => {
  it("moves only the missing signals' weight to content, keeping the total", () => {
    const sum = (w: typeof FIXED_WEIGHTS) => Object.values(w).reduce((a, b) => a + b, 0);
    close(sum(FIXED_WEIGHTS), 1);
    assert.deepEqual(weightsFor(FIXED_WEIGHTS, true, true), FIXED_WEIGHTS);
    const noActivity = weightsFor(FIXED_WEIGHTS, true, false);
    close(noActivity.content, 0.30000000000000004);
    assert.equal(noActivity.activity, 0);
    assert.equal(noActivity.affinity, 0.4);
    const neither = weightsFor(FIXED_WEIGHTS, false, false);
    close(neither.content, 0.7);
    [neither.affinity, neither.activity].forEach((w) => assert.equal(w, 0));
    [neither, noActivity].forEach((w) => close(sum(w), 1));
  });

  it("the weighted sum of the five signals", () => {
    close(blendScore({ content: 1, affinity: 1, popularity: 1, freshness: 1, activity: 1 }), 1);
    // 0.1*0.5 + 0.4*1 + 0.1*0 + 0.2*0.2 + 0.2*0.5 = 0.05 + 0.4 + 0.04 + 0.1 = 0.59
    close(blendScore({ content: 0.5, affinity: 1, popularity: 0, freshness: 0.2, activity: 0.5 }), 0.59);
    close(
      blendScore(
        { content: 0.5, affinity: 1, popularity: 0, freshness: 0.2, activity: 0.5 },
        { content: 0, affinity: 0, popularity: 1, freshness: 2, activity: 1 },
      ),
      0.9,
    );
    assert.deepEqual(FIXED_WEIGHTS, {
      content: 0.1,
      affinity: 0.4,
      popularity: 0.1,
      freshness: 0.2,
      activity: 0.2,
    });
  });
});
