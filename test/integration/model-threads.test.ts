import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Encoder } from "../../src/embed/encoder.js";
import { testEncoder } from "../helpers/encoder.js";

/** Counts event-loop turns while `work` runs: a blocked loop manages about one. */
async function loopTurnsDuring(work: () => Promise<unknown>): Promise<{ turns: number; ms: number }> {
  let turns = 0;
  const timer = setInterval(() => turns++, 1);
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  clearInterval(timer);
  return { turns, ms };
}

// onnxruntime-node's run() holds its thread for the whole inference: the models run in worker
// threads so that the server keeps answering while they work.
describe("model inference off the main thread", () => {
  let encoder: Encoder;
  before(async () => {
    encoder = await testEncoder();
  });
  after(async () => {
    await encoder?.dispose();
  });

  it("the event loop keeps turning while the encoder embeds a large batch", async () => {
    const texts = Array.from({ length: 256 }, (_, i) =>
      `a long comment number ${i} about skateboarding, cooking, travel and football `.repeat(4),
    );
    const { turns, ms } = await loopTurnsDuring(() => encoder.embed(texts));
    console.log(`# embedding 256 texts took ${ms.toFixed(0)} ms; the event loop turned ${turns} times`);
    assert.ok(ms > 50, "the batch is too small to tell");
    assert.ok(
      turns > ms / 20,
      `the event loop turned ${turns} times in ${ms.toFixed(0)} ms: inference is blocking it`,
    );
  });

  it("vectors from the worker are the same as before: unit length, 384 dimensions, stable", async () => {
    const [a, b] = await encoder.embed(["kickflip at the skatepark", "kickflip at the skatepark"]);
    assert.equal(a!.length, 384);
    assert.ok(Math.abs(Math.hypot(...a!) - 1) < 1e-4);
    assert.deepEqual(Array.from(a!), Array.from(b!));
  });
});
