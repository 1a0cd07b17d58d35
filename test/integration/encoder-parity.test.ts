import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../src/platform/config/config.js";
import type { Encoder } from "../../src/embed/encoder.js";
import { modelLayout, type ModelVariant } from "../../src/embed/model-files.js";
import { testEncoder } from "../helpers/encoder.js";
import { sharedPath } from "../helpers/shared.js";
import { cosine } from "../helpers/vectors.js";

const fixturePath = sharedPath("fixtures", "minilm-reference.json");
const noFixture = fixturePath
  ? false
  : "needs ../shared/fixtures/minilm-reference.json (the team's shared folder beside the checkout)";
const onnx = modelLayout(loadConfig().models.dir).onnx;
const minCosine: Record<ModelVariant, number> = { q8: 0.995, fp32: 0.9999 };

// Our vectors, from each model variant, against sentence-transformers fp32 vectors for the same sentences.
for (const variant of ["q8", "fp32"] as const) {
  const noModel = existsSync(onnx[variant])
    ? false
    : `needs ${onnx[variant]} (npm run provision builds it unless EMBED_MODEL=q8)`;
  describe(
    `encoder parity with sentence-transformers fp32 (${variant})`,
    { skip: noFixture || noModel },
    () => {
      let encoder: Encoder;
      const fixture = fixturePath
        ? (JSON.parse(readFileSync(fixturePath, "utf8")) as { sentences: string[]; vectors: number[][] })
        : undefined;

      before(async () => (encoder = await testEncoder(variant)));
      after(async () => encoder?.dispose());

      it(`every sentence, the empty and the very long one included, reaches cosine >= ${minCosine[variant]}`, async () => {
        const vectors = await encoder.embed(fixture!.sentences);
        const cosines = vectors.map((v, i) => cosine(v, fixture!.vectors[i]!));
        console.log(
          `parity cosines (${encoder.modelId}): min ${Math.min(...cosines).toFixed(4)}, max ${Math.max(...cosines).toFixed(4)}`,
        );
        assert.ok(fixture!.sentences.includes(""), "the fixture should hold the empty text");
        assert.ok(
          fixture!.sentences.some((s) => s.length > 1000),
          "the fixture should hold a very long text",
        );
        cosines.forEach((c, i) =>
          assert.ok(
            c >= minCosine[variant],
            `"${fixture!.sentences[i]!.slice(0, 40)}": cosine ${c.toFixed(4)}`,
          ),
        );
      });

      it("returns 384-d unit vectors in input order, whatever the batch size", async () => {
        const texts = fixture!.sentences;
        const all = await encoder.embed(texts);
        const oneByOne = await Promise.all(texts.map(async (t) => (await encoder.embed([t]))[0]!));
        all.forEach((v, i) => {
          assert.equal(v.length, 384);
          const norm = Math.hypot(...v);
          assert.ok(Math.abs(norm - 1) < 1e-4, `norm ${norm}`);
          assert.ok(
            cosine(v, oneByOne[i]!) > 0.9999,
            `text ${i} differs between batched and single encoding`,
          );
        });
      });

      it("an empty list gives an empty list", async () => {
        assert.deepEqual(await encoder.embed([]), []);
      });
    },
  );
}
