import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Encoder } from "../../src/embed/encoder.js";
import { encoderFamily, FINETUNED_NAME, resolveEncoder } from "../../src/embed/encoder-choice.js";
import { unpackMiniLmCheckpoint } from "../../src/embed/provision-fp32.js";
import { encoderAuc, encoderEvalSet } from "../../src/offline/training/encoder-eval.js";
import { stageEncoder, type EncoderProbe } from "../../src/offline/training/encoder-export.js";
import { mineTriplets, type EncoderTriplet } from "../../src/offline/training/encoder-triplets.js";
import { openTrainingStore, type TrainingStore } from "../../src/offline/training/training-store.js";
import { loadConfig } from "../../src/platform/config/config.js";
import { silentLogger } from "../../src/platform/logger.js";
import { exportVenvPython } from "../../src/platform/python-venv.js";
import { seededRandom } from "../../src/platform/seeded-random.js";
import { demoDump } from "../helpers/demo-dump.js";
import { testEncoder } from "../helpers/encoder.js";

// train:encoder's pieces that need no torch, on the demo catalogue through the real pipeline:
// triplets mined from a live Weaviate, and the export + parity path on all-MiniLM-L6-v2's own
// fp32 checkpoint (the one provisioning unpacks), whose exact vectors the provisioned fp32 model
// gives. The fine-tune itself (torch) is left to `npm run train:encoder`: installing torch
// (~3 GB) has no place in CI.
describe("train:encoder without torch (live Weaviate, real ONNX)", () => {
  const config = loadConfig();
  const work = mkdtempSync(join(tmpdir(), "train-encoder-test-"));
  let store: TrainingStore;
  let encoder: Encoder;
  let triplets: EncoderTriplet[];

  before(async () => {
    store = await openTrainingStore(
      "encoder-test",
      demoDump().dir,
      undefined,
      undefined,
      config,
      silentLogger,
    );
    encoder = await testEncoder("fp32");
    triplets = await mineTriplets(store.weaviate, encoder, store.users, 500, () => {});
  });
  after(async () => {
    await encoder?.dispose();
    await store?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("mines (query, held-out positive, hard negative from the index) triplets, never a video the user engaged with", async () => {
    assert.ok(triplets.length >= 20, `only ${triplets.length} triplets`);
    const byUser = new Map(store.users.map((u) => [u.userId, u]));
    for (const t of triplets) {
      const user = byUser.get(t.user)!;
      assert.ok(user.heldOutVideoIds.includes(t.positiveId));
      assert.ok(![...user.trainVideoIds, ...user.heldOutVideoIds].includes(t.negativeId));
      assert.ok(t.query.length > 0 && t.positive.length > 0 && t.negative.length > 0);
    }
    // Hard: the mined negatives sit closer to their query than random catalogue videos do.
    const sample = triplets.slice(0, 40);
    const random = seededRandom(5);
    const docs = [...new Set(triplets.map((t) => t.negative))];
    const [q, n, r] = await Promise.all([
      encoder.embed(sample.map((t) => t.query)),
      encoder.embed(sample.map((t) => t.negative)),
      encoder.embed(sample.map(() => docs[Math.floor(random() * docs.length)]!)),
    ]);
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const hard = mean(sample.map((_, i) => dot(q[i]!, n[i]!)));
    const rand = mean(sample.map((_, i) => dot(q[i]!, r[i]!)));
    console.log(
      `# ${triplets.length} triplets; mean cosine to query: mined negative ${hard.toFixed(3)}, random ${rand.toFixed(3)}`,
    );
    assert.ok(hard > rand + 0.05, `mined negatives ${hard} are not closer than random ones ${rand}`);
  });

  it("exports a checkpoint our encoder reproduces, selectable as EMBED_MODEL=minilm-finetuned; a mismatch is refused", async () => {
    const checkpoint = unpackMiniLmCheckpoint(
      exportVenvPython(config.weaviate.cacheDir, silentLogger),
      config.weaviate.cacheDir,
      work,
    );
    const texts = triplets.slice(0, 3).flatMap((t) => [t.query, t.positive, t.negative]);
    const probe: EncoderProbe = (await encoder.embed(texts)).map((v, i) => ({
      text: texts[i]!,
      embedding: [...v],
    }));
    const modelsDir = join(work, "models");
    const out = join(modelsDir, FINETUNED_NAME);

    const skewed = probe.map((p) => ({
      ...p,
      embedding: p.embedding.map((x, k) => (k === 0 ? x + 0.05 : x)),
    }));
    await assert.rejects(
      stageEncoder(checkpoint, out, skewed, config.weaviate.cacheDir, silentLogger),
      /differ from the trainer's/,
    );
    assert.ok(
      !existsSync(out) && readdirSync(modelsDir).length === 0,
      "a refused export leaves nothing behind",
    );

    const staged = await stageEncoder(checkpoint, out, probe, config.weaviate.cacheDir, silentLogger);
    console.log(
      `# parity on ${staged.parity.texts} texts: min cosine ${staged.parity.minCosine}, max abs diff ${staged.parity.maxAbsDiff}`,
    );
    assert.ok(staged.parity.minCosine >= 0.9999);
    // The same weights measure the same: the before/after path is not biased towards either side.
    const set = await encoderEvalSet(
      store.weaviate,
      store.users.slice(0, 30),
      store.catalogue,
      3,
      seededRandom(2),
    );
    const [before, afterAuc] = [await encoderAuc(encoder, set), await encoderAuc(staged.encoder, set)];
    console.log(
      `# ${set.length} users: base ${JSON.stringify(before)}, exported ${JSON.stringify(afterAuc)}`,
    );
    for (const kind of ["random", "hard", "matched"] as const)
      assert.ok(Math.abs(before[kind]! - afterAuc[kind]!) < 0.005);
    await staged.publish({ base: encoder.modelId });

    const resolved = resolveEncoder(modelsDir, FINETUNED_NAME);
    assert.match(resolved.modelId, /^minilm-finetuned-[0-9a-f]{12}@onnx-fp32$/);
    assert.notEqual(
      encoderFamily(resolved.modelId),
      encoderFamily(encoder.modelId),
      "its own family: a store rebuilds",
    );
    assert.equal(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")).modelId, resolved.modelId);
    for (const file of ["onnx/model.onnx", "tokenizer.json", "config.json"])
      assert.ok(existsSync(join(out, file)), file);
    assert.ok(!existsSync(join(modelsDir, ".partial-train-encoder")));
  });
});
