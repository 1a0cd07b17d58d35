import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rankedItem } from "../helpers/items.js";
import type { Pair } from "../../src/recommend/rerank/cross-encoder.js";
import type { RerankQueue } from "../../src/recommend/rerank/rerank-queue.js";
import { rerankHead } from "../../src/recommend/rerank/rerank-stage.js";
import { createRerankScoreCache } from "../../src/recommend/rerank/rerank-score-cache.js";

const item = (videoId: string, rankedPosition: number) => rankedItem(videoId, rankedPosition);
const list = () => ["a", "b", "c", "d", "e"].map((id, k) => item(id, k + 1));
const settings = { budgetMs: 50, maxTokens: 8, weight: 1 };

/** A queue that affords `n` pairs and answers with `scores` (maybe fewer than asked: a deadline). */
function fakeQueue(n: number, scores: number[]) {
  const asked: Pair[][] = [];
  const queue = {
    encoder: {
      tokens: (t: string) => [...t].map((ch) => ch.charCodeAt(0)),
      pair: (q: number[], d: number[]) => ({ ids: [...q, ...d], docStart: q.length }),
    },
    affordable: () => n,
    score: async (pairs: Pair[]) => (asked.push(pairs), scores),
  } as unknown as RerankQueue;
  return { queue, asked };
}

describe("rerankHead", () => {
  const docs = async (ids: string[]) =>
    new Map(ids.filter((id) => id !== "c").map((id) => [id, id.toUpperCase()]));

  it("scores the affordable head, fuses it, keeps the tail, and renumbers the places", async () => {
    const { queue, asked } = fakeQueue(3, [0.1, 0.5, 0.9]);
    const out = await rerankHead(list(), async () => "x", docs, queue, settings);
    assert.equal(out.reranked, 3);
    // weight 1: c b a by score, then d e
    assert.deepEqual(
      out.items.map((i) => [i.videoId, i.rankedPosition, i.blendPosition, i.rerankPosition]),
      [
        ["c", 1, 3, 1],
        ["b", 2, 2, 2],
        ["a", 3, 1, 3],
        ["d", 4, undefined, undefined],
        ["e", 5, undefined, undefined],
      ],
    );
    // query "x" = [120]; documents A, B, and "" for c, which has none
    assert.deepEqual(
      asked[0]!.map((p) => p.ids),
      [[120, 65], [120, 66], [120]],
    );
  });

  it("a queue that answers a prefix (deadline): only the scored items are fused, the rest keep their order", async () => {
    const { queue } = fakeQueue(3, [0.1, 0.5]);
    const out = await rerankHead(list(), async () => "x", docs, queue, settings);
    assert.equal(out.reranked, 2);
    assert.deepEqual(
      out.items.map((i) => i.videoId),
      ["b", "a", "c", "d", "e"],
    );
  });

  it("nothing affordable, or a blank query: the list as it was, and nothing is scored", async () => {
    let reads = 0;
    const none = fakeQueue(0, []);
    const items = list();
    const out = await rerankHead(items, async () => (reads++, "x"), docs, none.queue, settings);
    assert.deepEqual(out, { items, reranked: 0, cached: 0 });
    assert.equal(reads, 0);
    const blank = fakeQueue(5, [1, 2, 3, 4, 5]);
    assert.deepEqual(await rerankHead(items, async () => "  ", docs, blank.queue, settings), {
      items,
      reranked: 0,
      cached: 0,
    });
    assert.equal(blank.asked.length, 0);
  });

  it("with a score cache: a later request scores only what the cache lacks, so the head grows", async () => {
    const cache = createRerankScoreCache(1000, 60_000);
    const first = fakeQueue(3, [0.1, 0.5, 0.9]);
    const one = await rerankHead(list(), async () => "x", docs, first.queue, settings, cache);
    assert.deepEqual([one.reranked, one.cached, cache.size], [3, 0, 3]);
    const second = fakeQueue(3, [0.7, 0.3]);
    const two = await rerankHead(list(), async () => "x", docs, second.queue, settings, cache);
    // Only d and e went to the model; a, b, c came from the cache: the whole list is the head.
    assert.deepEqual(
      second.asked[0]!.map((p) => p.ids),
      [
        [120, 68],
        [120, 69],
      ],
    );
    assert.deepEqual([two.reranked, two.cached], [5, 3]);
    // weight 1: by score c 0.9, d 0.7, b 0.5, e 0.3, a 0.1
    assert.deepEqual(
      two.items.map((i) => i.videoId),
      ["c", "d", "b", "e", "a"],
    );
    // Nothing affordable: the cached head is still fused, at no model cost.
    const broke = fakeQueue(0, []);
    const three = await rerankHead(list(), async () => "x", docs, broke.queue, settings, cache);
    assert.deepEqual([three.reranked, three.cached, broke.asked.length], [5, 5, 0]);
    // Another query text (the user commented): nothing is reused.
    const fresh = fakeQueue(2, [1, 2]);
    const four = await rerankHead(list(), async () => "y", docs, fresh.queue, settings, cache);
    assert.deepEqual([four.reranked, four.cached, fresh.asked[0]!.length], [2, 0, 2]);
  });

  it("a head longer than the list is cut to the list", async () => {
    const { queue, asked } = fakeQueue(100, [2, 1]);
    const out = await rerankHead(list().slice(0, 2), async () => "x", docs, queue, settings);
    assert.equal(asked[0]!.length, 2);
    assert.deepEqual([out.reranked, out.items.map((i) => i.videoId)], [2, ["a", "b"]]);
  });
});
