import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../src/platform/config/config.js";
import { ErrorCode } from "../../src/platform/errors.js";
import { silentLogger } from "../../src/platform/logger.js";
import { exportVenvPython, runPython } from "../../src/platform/python-venv.js";
import { createEncoder } from "../../src/embed/encoder.js";
import { ENCODER_NAME, modelLayout } from "../../src/embed/model-files.js";

// Tiny real ONNX models that break the encoder's contract, built with onnx in the export virtualenv
// (provisioned with the fp32 model), each loaded through createEncoder's real worker session.
const BUILD = `
import sys, onnx
from onnx import helper as h, TensorProto as T
out_dir = sys.argv[1]
def save(name, inputs, out_shape, hidden):
    ins = [h.make_tensor_value_info(n, T.INT64, ["b", "s"]) for n in inputs]
    # ConstantOfShape of [b, s, hidden] from input_ids' shape: a float hidden state of the given width.
    nodes = [h.make_node("Shape", [inputs[0]], ["shp"]),
             h.make_node("Concat", ["shp", "width"], ["full"], axis=0),
             h.make_node("ConstantOfShape", ["full"], ["hidden"], value=h.make_tensor("v", T.FLOAT, [1], [0.5]))]
    width = h.make_tensor("width", T.INT64, [1], [hidden])
    out = h.make_tensor_value_info("hidden", T.FLOAT, out_shape)
    g = h.make_graph(nodes, name, ins, [out], initializer=[width])
    onnx.save(h.make_model(g, opset_imports=[h.make_opsetid("", 17)], ir_version=9), f"{out_dir}/{name}.onnx")
save("wide", ["input_ids", "attention_mask"], ["b", "s", 768], 768)
save("symbolic", ["input_ids", "attention_mask"], ["b", "s", "width"], 768)
save("no_mask", ["input_ids"], ["b", "s", 384], 384)
`;

describe("encoder contract: real models that do not fit are refused at load", () => {
  const { models, weaviate } = loadConfig();
  const dir = mkdtempSync(join(tmpdir(), "encoder-contract-"));
  // createEncoder reads MODELS_DIR/all-MiniLM-L6-v2/onnx/model.onnx for the fp32 variant: give it a
  // models folder whose fp32 file is the misfit, with the real tokenizer beside it.
  const modelsFor = (name: string) => {
    const root = join(dir, name);
    mkdirSync(join(root, ENCODER_NAME, "onnx"), { recursive: true });
    for (const f of ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "config.json"])
      copyFileSync(join(modelLayout(models.dir).dir, f), join(root, ENCODER_NAME, f));
    copyFileSync(join(dir, `${name}.onnx`), modelLayout(root).onnx.fp32);
    return root;
  };
  before(() => runPython(exportVenvPython(weaviate.cacheDir, silentLogger), ["-c", BUILD, dir]));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases: [string, RegExp][] = [
    ["wide", /768-d, the store holds 384-d/],
    ["symbolic", /came back with dims \[1, 3, 768\]/],
    ["no_mask", /no attention_mask input/],
  ];
  for (const [name, reason] of cases) {
    it(`${name}: refused with ENCODER_CONTRACT_BROKEN and the reason`, async () => {
      const modelsDir = modelsFor(name);
      await assert.rejects(
        createEncoder({ modelsDir, variant: "fp32", provider: "cpu" }),
        (err: Error & { code?: string }) => {
          assert.equal(err.code, ErrorCode.EncoderContractBroken);
          assert.match(err.message, reason);
          return true;
        },
      );
    });
  }
});
