import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import ort from "onnxruntime-node";
import { AutoTokenizer, env as hfEnv } from "@huggingface/transformers";
import { loadConfig } from "../../src/platform/config/config.js";
import type { Encoder } from "../../src/embed/encoder.js";
import { encoderFamily } from "../../src/embed/encoder-choice.js";
import { L3_MAX_TOKENS, L3_NAME, l3Layout } from "../../src/embed/paraphrase-l3-files.js";
import { testEncoder } from "../helpers/encoder.js";
import { sharedPath } from "../helpers/shared.js";
import { cosine } from "../helpers/vectors.js";

const modelsDir = loadConfig().models.dir;
const fixturePath = sharedPath("fixtures", "minilm-reference.json");
const skip = !existsSync(l3Layout(modelsDir).onnx)
  ? `needs ${l3Layout(modelsDir).onnx} (npm run provision lays it out)`
  : !fixturePath && "needs ../shared/fixtures/minilm-reference.json";

// The two packaged encoders side by side: both serve, and they are genuinely different models.
describe("second encoder: paraphrase-MiniLM-L3-v2 beside all-MiniLM-L6-v2", { skip }, () => {
  let l6: Encoder;
  let l3: Encoder;
  const sentences = skip
    ? []
    : (JSON.parse(readFileSync(fixturePath!, "utf8")) as { sentences: string[] }).sentences;

  before(async () => {
    [l6, l3] = await Promise.all([testEncoder("auto"), testEncoder(L3_NAME)]);
  });
  after(async () => Promise.all([l6?.dispose(), l3?.dispose()]));

  it("each reports its own model id", () => {
    assert.equal(encoderFamily(l3.modelId), `sentence-transformers/${L3_NAME}`);
    assert.equal(encoderFamily(l6.modelId), "sentence-transformers/all-MiniLM-L6-v2");
  });

  it("both give 384-d unit vectors, and the same sentence lands far apart in the two spaces", async () => {
    const [a, b] = await Promise.all([l6.embed(sentences), l3.embed(sentences)]);
    for (const v of [...a, ...b]) {
      assert.equal(v.length, 384);
      assert.ok(Math.abs(Math.hypot(...v) - 1) < 1e-4);
    }
    const across = a.map((v, i) => cosine(v, b[i]!));
    console.log(`L6 vs L3 cosine of the same sentence: max ${Math.max(...across).toFixed(3)}`);
    across.forEach((c, i) =>
      assert.ok(c < 0.6, `"${sentences[i]!.slice(0, 30)}": cosine ${c.toFixed(3)} across models`),
    );
  });

  it("both rank a paraphrase above an unrelated sentence", async () => {
    const triples = [
      ["A man is eating food.", "A man is eating a piece of bread.", "The girl is carrying a baby."],
      ["cooking pasta recipe", "how to make spaghetti at home", "football highlights goal"],
      [
        "Kickflip tutorial for beginners",
        "learning to skateboard tricks",
        "Creamy garlic pasta in 15 minutes",
      ],
    ];
    for (const encoder of [l6, l3]) {
      for (const [anchor, paraphrase, unrelated] of triples) {
        const [x, p, u] = await encoder.embed([anchor!, paraphrase!, unrelated!]);
        assert.ok(cosine(x!, p!) > cosine(x!, u!) + 0.2, `${encoder.modelId}: "${anchor}"`);
      }
    }
  });

  it("L3 vectors are deterministic: the same in any batch, and pinned", async () => {
    const batched = await l3.embed(sentences);
    const single = await Promise.all(sentences.map(async (s) => (await l3.embed([s]))[0]!));
    batched.forEach((v, i) => v.forEach((x, d) => assert.ok(Math.abs(x - single[i]![d]!) < 1e-5)));
    // First components of the first four fixture sentences, from this model on 2026-12-02.
    const pinned = [
      [-0.0176, 0.0006, -0.0724, 0.0291],
      [0.0029, 0.0046, -0.0021, 0.0266],
      [0.0149, 0.0098, 0.0768, -0.0111],
      [-0.0036, 0.014, 0.0059, 0.0283],
    ];
    pinned.forEach((row, i) =>
      row.forEach((x, d) => assert.ok(Math.abs(batched[i]![d]! - x) < 1e-3, `s${i} d${d}`)),
    );
  });

  it("our mean pooling matches the export's own sentence-transformers pooling output", async () => {
    // The wheel's graph also emits the Pooling module's [batch, 384] output (named "461"): our
    // vectors must equal it normalised, so pooling over real tokens is what sentence-transformers does.
    const session = await ort.InferenceSession.create(l3Layout(modelsDir).onnx);
    hfEnv.allowRemoteModels = false;
    hfEnv.localModelPath = `${modelsDir}/`;
    const tokenizer = await AutoTokenizer.from_pretrained(L3_NAME);
    const ours = await l3.embed(sentences);
    for (const [i, text] of sentences.entries()) {
      let ids = tokenizer.encode(text) as number[];
      if (ids.length > L3_MAX_TOKENS) ids = [...ids.slice(0, L3_MAX_TOKENS - 1), ids.at(-1)!];
      const dims = [1, ids.length];
      const out = await session.run({
        input_ids: new ort.Tensor("int64", BigInt64Array.from(ids, BigInt), dims),
        attention_mask: new ort.Tensor("int64", new BigInt64Array(ids.length).fill(1n), dims),
      });
      const pooled = out["461"]!.data as Float32Array;
      assert.equal(pooled.length, 384);
      assert.ok(cosine(pooled, ours[i]!) > 0.99999, `"${text.slice(0, 30)}"`);
    }
    await session.release();
  });
});
