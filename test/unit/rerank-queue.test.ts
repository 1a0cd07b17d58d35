import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CrossEncoder, Pair } from "../../src/recommend/rerank/cross-encoder.js";
import { createRerankQueue } from "../../src/recommend/rerank/rerank-queue.js";

// No ONNX: the queue only needs something with the CrossEncoder shape. Each fake run advances a
// fake clock by `runMs`, and scores a pair by its first token id.
function fake(runMs: number, tokensPerPair = 8) {
  const clock = { t: 0 };
  const batches: number[] = [];
  let gate: Promise<void> = Promise.resolve();
  const encoder: CrossEncoder = {
    modelId: "fake",
    provider: "cpu",
    tokens: (text) => [...text].map((c) => c.charCodeAt(0)),
    pair: (q, d) => ({ ids: [...q, ...d].slice(0, tokensPerPair), docStart: q.length }),
    async score(pairs) {
      await gate;
      batches.push(pairs.length);
      clock.t += runMs;
      return Float32Array.from(pairs.map((p) => p.ids[0]!));
    },
    dispose: async () => {},
  };
  return { encoder, clock, batches, hold: (p: Promise<void>) => (gate = p), now: () => clock.t };
}
const pairs = (n: number, len: number, first = 1): Pair[] =>
  Array.from({ length: n }, (_, k) => ({
    ids: [first + k, ...new Array<number>(len - 1).fill(0)],
    docStart: 1,
  }));
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} != ${b}`);

describe("rerank queue budget", () => {
  it("before any run it assumes 0.05 ms per token: floor(budget / (0.05 x tokensPerPair)), never negative", () => {
    const q = createRerankQueue(fake(0).encoder);
    assert.equal(q.affordable(100, 64), 31); // 100 / 3.2 = 31.25
    assert.equal(q.affordable(3, 64), 0); // 3 / 3.2 < 1
    assert.equal(q.affordable(-5, 64), 0);
  });

  it("work already queued ahead is paid for first", async () => {
    const f = fake(0);
    let release!: () => void;
    f.hold(new Promise<void>((r) => (release = r)));
    const q = createRerankQueue(f.encoder, { now: f.now });
    const a = q.score(pairs(10, 64), 1000); // 640 tokens queued: 32 ms of wait
    assert.equal(q.affordable(100, 64), 21); // (100 - 32) / 3.2 = 21.25
    const b = q.score(pairs(5, 64), 1000); // 960 tokens: 48 ms
    assert.equal(q.affordable(100, 64), 16); // (100 - 48) / 3.2 = 16.25
    assert.equal(q.affordable(30, 64), 0);
    release();
    await Promise.all([a, b]);
    // one run of 15 pairs in 0 ms: 0.8 x 0.05 = 0.04 ms per token, nothing queued: 100 / 2.56 = 39.06
    assert.deepEqual(f.batches, [15]);
    assert.equal(q.affordable(100, 64), 39);
  });

  it("each run moves the estimate 20% towards its ms per padded token", async () => {
    const f = fake(40);
    const q = createRerankQueue(f.encoder, { now: f.now });
    // lengths 4 and 10 pad to 2 x 10 = 20 tokens: 40 ms / 20 = 2; 0.8 x 0.05 + 0.2 x 2 = 0.44
    const scores = await q.score([pairs(1, 4, 7)[0]!, pairs(1, 10, 8)[0]!], 1000);
    assert.deepEqual(scores, [7, 8]);
    const s = q.stats();
    assert.deepEqual([s.runs, s.pairs, s.expiredPairs], [1, 2, 0]);
    close(s.msPerToken, 0.44);
    assert.equal(q.affordable(100, 10), 22); // nothing queued: 100 / 4.4 = 22.7
  });

  it("requests that arrive together share runs of at most maxBatchPairs, first come first served", async () => {
    const f = fake(1);
    const q = createRerankQueue(f.encoder, { maxBatchPairs: 3, now: f.now });
    const [a, b] = await Promise.all([q.score(pairs(2, 4, 1), 1000), q.score(pairs(2, 4, 3), 1000)]);
    assert.deepEqual(f.batches, [3, 1]); // a1 a2 b1, then b2
    assert.deepEqual(
      [a, b],
      [
        [1, 2],
        [3, 4],
      ],
    );
    assert.deepEqual(await q.score([], 1000), []);
    assert.equal(q.stats().runs, 2);
  });

  it("past its deadline a job gets the prefix it has, the rest counted as expired and no longer queued", async () => {
    const f = fake(2000);
    const q = createRerankQueue(f.encoder, { maxBatchPairs: 2, now: f.now });
    // run 1 scores pairs 1-2 and takes 2000 ms, past the 1000 ms deadline: 3-4 expire.
    assert.deepEqual(await q.score(pairs(4, 10, 1), 1000), [1, 2]);
    const s = q.stats();
    assert.deepEqual([s.runs, s.pairs, s.expiredPairs], [1, 2, 2]);
    close(s.msPerToken, 20.04); // 0.8 x 0.05 + 0.2 x 2000 / 20
    assert.equal(q.affordable(1000, 10), 4); // no wait left: 1000 / 200.4 = 4.99
  });

  it("warmUp sets the estimate from one timed full batch (after an untimed one)", async () => {
    const f = fake(16, 8);
    const q = createRerankQueue(f.encoder, { maxBatchPairs: 4, now: f.now });
    await q.warmUp(8);
    assert.deepEqual(f.batches, [4, 4]);
    close(q.stats().msPerToken, 0.5); // 16 ms / (4 pairs x 8 tokens)
    assert.equal(q.affordable(100, 8), 25); // 100 / 4
  });
});
