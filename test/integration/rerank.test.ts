import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import type { GraphQLSchema } from "graphql";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../src/platform/config/config.js";
import type { Encoder } from "../../src/embed/encoder.js";
import { modelLayout } from "../../src/embed/model-files.js";
import type { Services } from "../../src/api/services.js";
import { buildGraphQLSchema } from "../../src/api/graphql/schema.js";
import { createDumpSource } from "../../src/ingest/sources/dump-source.js";
import { createIngestRunner } from "../../src/ingest/ingest-runner.js";
import { silentLogger } from "../../src/platform/logger.js";
import { createCrossEncoder, type CrossEncoder } from "../../src/recommend/rerank/cross-encoder.js";
import { randomCrossEncoder } from "../../src/offline/training/random-cross-encoder.js";
import { createRerankQueue } from "../../src/recommend/rerank/rerank-queue.js";
import { resolveRerankModel } from "../../src/recommend/rerank/rerank-model.js";
import { demoDump } from "../helpers/demo-dump.js";
import { testEncoder } from "../helpers/encoder.js";
import { operation } from "../helpers/operations.js";
import { runner, testServices } from "../helpers/services.js";
import { startTestWeaviate, type TestWeaviate } from "../helpers/weaviate.js";

// A small cross-encoder with the standard contract (2 layers, random weights) on onnxruntime-node:
// the stage's mechanics, not its quality, which random weights cannot have.
describe("cross-encoder rerank (real ONNX model, live Weaviate)", () => {
  const config = loadConfig();
  const tokenizerDir = modelLayout(config.models.dir).dir;
  let modelPath: string;
  let cross: CrossEncoder;
  let w: TestWeaviate;
  let encoder: Encoder;
  let schema: GraphQLSchema;
  let services: Services;
  const run = runner(
    () => schema,
    () => services,
  );
  const feed = async (vars: Record<string, unknown>) =>
    (
      await run(operation("recommendations.graphql"), {
        userId: "demo-user-skater-pt",
        first: 10,
        explain: true,
        ...vars,
      })
    ).recommendations;

  before(async () => {
    modelPath = randomCrossEncoder(config.weaviate.cacheDir, "tiny", silentLogger);
    cross = await createCrossEncoder({ modelPath, tokenizerDir, modelId: "random-tiny", maxTokens: 64 });
    [w, encoder, schema] = await Promise.all([startTestWeaviate(), testEncoder(), buildGraphQLSchema()]);
    const { dir } = demoDump();
    const dump = createDumpSource(dir);
    await createIngestRunner({ weaviate: w, encoder, log: silentLogger }).run(dump, dump.usernames(), {
      trigger: "test",
    });
  });
  after(async () => {
    await cross?.dispose();
    await encoder?.dispose();
    await w?.dispose();
  });

  it("builds [CLS] query [SEP] document [SEP] within the token cap, the query cut to its share", () => {
    const long = cross.tokens("skate ".repeat(100));
    const pair = cross.pair(long, long);
    assert.equal(pair.ids.length, 64);
    assert.equal(pair.ids[0], 101);
    assert.equal(pair.docStart, 24 + 2, "the query keeps at most 24 tokens");
    assert.equal(pair.ids[pair.docStart - 1], 102);
    assert.equal(pair.ids.at(-1), 102);
    const short = cross.pair(cross.tokens("hi"), cross.tokens("there"));
    assert.deepEqual(short.ids.length, 5);
  });

  it("scores deterministically, one finite logit per pair, padding not changing a pair's score", async () => {
    const q = cross.tokens("kickflip tutorial");
    const a = cross.pair(q, cross.tokens("how to kickflip on a skateboard"));
    const b = cross.pair(
      q,
      cross.tokens("a pasta recipe for busy weeknights with garlic and lemon and lots of cheese"),
    );
    const alone = await cross.score([a]);
    const together = await cross.score([a, b]);
    assert.equal(together.length, 2);
    assert.ok(together.every(Number.isFinite));
    assert.ok(
      Math.abs(alone[0]! - together[0]!) < 1e-4,
      `padding changed the score: ${alone[0]} vs ${together[0]}`,
    );
    assert.notEqual(together[0], together[1]);
  });

  it("requests that arrive together share model runs", async () => {
    const queue = createRerankQueue(cross, { maxBatchPairs: 16 });
    const q = cross.tokens("football goals");
    const pairs = (n: number) =>
      Array.from({ length: n }, (_, i) => cross.pair(q, cross.tokens(`video number ${i} about football`)));
    const results = await Promise.all([
      queue.score(pairs(5), 10_000),
      queue.score(pairs(5), 10_000),
      queue.score(pairs(5), 10_000),
    ]);
    assert.deepEqual(
      results.map((r) => r.length),
      [5, 5, 5],
    );
    assert.equal(queue.stats().runs, 1, "15 pairs from three requests should run as one batch");
  });

  it("a request whose deadline passes while queued gets a prefix of its scores, never a gap", async () => {
    const queue = createRerankQueue(cross, { maxBatchPairs: 4 });
    const q = cross.tokens("travel");
    const pairs = Array.from({ length: 40 }, (_, i) =>
      cross.pair(q, cross.tokens(`beach trip ${i} `.repeat(8))),
    );
    const blocker = queue.score(pairs, 10_000);
    const late = await queue.score(pairs.slice(0, 8), 0);
    assert.ok(late.length < 8, "a zero budget behind a long queue cannot be served in full");
    assert.equal((await blocker).length, 40);
    assert.ok(queue.stats().expiredPairs >= 8 - late.length);
  });

  it("the budget sets the head: a generous one reranks all recalled, none reranks nothing, rerank: false skips", async () => {
    const queue = createRerankQueue(cross, { maxBatchPairs: 16 });
    await queue.warmUp(64);
    services = testServices(w, encoder, {
      queue,
      settings: { budgetMs: 60_000, maxTokens: 64, weight: 0.5 },
    });
    const full = await feed({});
    assert.equal(full.reranked, full.recalled);
    assert.ok(
      full.items.every(
        (i: any) =>
          typeof i.explain.rerankScore === "number" &&
          i.explain.blendPosition >= 1 &&
          i.explain.rerankPosition >= 1,
      ),
    );
    // The head is ordered by the fused place, half ranker, half cross-encoder (rules aside: only items the rules left alone).
    const untouched = full.items
      .filter((i: any) => i.explain.rules.length === 0)
      .sort((a: any, b: any) => a.explain.rankedPosition - b.explain.rankedPosition);
    const fused = (i: any) => i.explain.blendPosition + i.explain.rerankPosition;
    for (let k = 1; k < untouched.length; k++)
      assert.ok(fused(untouched[k - 1]) <= fused(untouched[k]), `fused place out of order at ${k}`);

    services = testServices(w, encoder, { queue, settings: { budgetMs: 0, maxTokens: 64, weight: 0.5 } });
    const none = await feed({});
    assert.equal(none.reranked, 0);
    assert.ok(
      none.items.every(
        (i: any) =>
          i.explain.rerankScore === null &&
          i.explain.blendPosition === null &&
          i.explain.rerankPosition === null,
      ),
    );

    services = testServices(w, encoder, {
      queue,
      settings: { budgetMs: 60_000, maxTokens: 64, weight: 0.5 },
    });
    assert.equal((await feed({ rerank: false })).reranked, 0);
    const similar = (
      await run(
        operation("similar.graphql"),
        { videoId: full.items[0].video.videoId, first: 5 },
        { operationName: "SimilarVideos" },
      )
    ).similarVideos;
    assert.ok(similar.reranked > 0, "similarVideos reranks against the video's own document");
  });

  it("a model that does not answer the contract is refused at load, with the reason", async () => {
    const notAModel = `${modelPath}.broken.onnx`;
    writeFileSync(notAModel, "not onnx");
    await assert.rejects(createCrossEncoder({ modelPath: notAModel, tokenizerDir, modelId: "broken" }));
    const encoderAsCrossEncoder = modelLayout(config.models.dir).onnx.q8; // a bi-encoder: [batch, seq, 384] out
    await assert.rejects(
      createCrossEncoder({ modelPath: encoderAsCrossEncoder, tokenizerDir, modelId: "wrong" }),
      /one finite logit per pair/,
    );
  });

  it("RERANK_MODEL: off, a missing file and an unprovisioned hub id all say why rerank is off", () => {
    assert.deepEqual(resolveRerankModel("off", config.models.dir, tokenizerDir), {
      kind: "off",
      reason: "RERANK_MODEL=off",
    });
    assert.equal(resolveRerankModel("/nope/model.onnx", config.models.dir, tokenizerDir).kind, "missing");
    const hub = resolveRerankModel("cross-encoder/not-provisioned", config.models.dir, tokenizerDir);
    assert.equal(hub.kind, "missing");
    assert.match((hub as { reason: string }).reason, /not provisioned/);
    const local = resolveRerankModel(modelPath, config.models.dir, tokenizerDir);
    assert.deepEqual(local, { kind: "ready", modelId: "file:tiny.onnx", modelPath, tokenizerDir });
  });
});
