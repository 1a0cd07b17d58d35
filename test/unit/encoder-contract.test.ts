import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ErrorCode } from "../../src/platform/errors.js";
import { checkOutputDims, matchContract, type PortMeta } from "../../src/embed/encoder-contract.js";

const ids = (name: string, type = "int64"): PortMeta => ({ name, type, shape: ["batch", "sequence"] });
const bert = [ids("input_ids"), ids("attention_mask"), ids("token_type_ids")];
// The three real models' metadata, as onnxruntime-node 1.30 reports it.
const q8Outputs: PortMeta[] = [
  { name: "last_hidden_state", type: "float32", shape: ["batch", "sequence", 384] },
];
const fp32Outputs: PortMeta[] = [
  ...q8Outputs,
  { name: "sentence_embedding", type: "float32", shape: ["batch", 384] },
];
const l3Outputs: PortMeta[] = [
  { name: "output", type: "int64", shape: ["batch_size", "sequence_length"] },
  { name: "463", type: "int64", shape: ["d0", "d1"] },
  { name: "onnx::Shape_422", type: "float32", shape: ["d0", "d1", 384] },
  { name: "461", type: "float32", shape: ["d0", 384] },
];

const refused = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(fn, (err: Error & { code?: string }) => {
    assert.equal(err.code, ErrorCode.EncoderContractBroken);
    assert.match(err.message, pattern);
    return true;
  });

describe("encoder contract", () => {
  it("MiniLM-L6 int8 mean-pools last_hidden_state with all three inputs", () => {
    assert.deepEqual(matchContract("q8.onnx", bert, q8Outputs, 384), {
      inputs: ["input_ids", "attention_mask", "token_type_ids"],
      output: "last_hidden_state",
      pool: true,
    });
  });

  it("MiniLM-L6 fp32 reads the fused sentence_embedding", () => {
    assert.deepEqual(matchContract("fp32.onnx", bert, fp32Outputs, 384).output, "sentence_embedding");
    assert.equal(matchContract("fp32.onnx", bert, fp32Outputs, 384).pool, false);
  });

  it("paraphrase-MiniLM-L3-v2 gets no token_type_ids and its hidden state is found by shape", () => {
    assert.deepEqual(matchContract("l3.onnx", bert.slice(0, 2), l3Outputs, 384), {
      inputs: ["input_ids", "attention_mask"],
      output: "onnx::Shape_422",
      pool: true,
    });
  });

  it("takes a lone hidden state whose width the metadata leaves symbolic (the first run checks it)", () => {
    const hidden: PortMeta[] = [{ name: "h", type: "float32", shape: ["b", "s", "width"] }];
    assert.deepEqual(matchContract("x.onnx", bert, hidden, 384), {
      inputs: bert.map((i) => i.name),
      output: "h",
      pool: true,
    });
  });

  it("refuses a model with another dimension, naming it", () => {
    const wide: PortMeta[] = [{ name: "last_hidden_state", type: "float32", shape: ["b", "s", 768] }];
    refused(() => matchContract("mpnet.onnx", bert, wide, 384), /768-d, the store holds 384-d/);
  });

  it("refuses inputs it cannot feed, a missing mask and int32 ids", () => {
    refused(
      () => matchContract("x.onnx", [...bert, ids("pixel_values", "float32")], q8Outputs, 384),
      /pixel_values/,
    );
    refused(() => matchContract("x.onnx", [ids("input_ids")], q8Outputs, 384), /no attention_mask/);
    refused(
      () => matchContract("x.onnx", [ids("input_ids", "int32"), ids("attention_mask")], q8Outputs, 384),
      /int32/,
    );
  });

  it("refuses a model with no embedding output (a cross-encoder's logits)", () => {
    const logits: PortMeta[] = [{ name: "logits", type: "float32", shape: ["batch", 1] }];
    refused(() => matchContract("ce.onnx", bert, logits, 384), /no output is a sentence embedding.*logits/);
  });

  it("a run whose dims break the promise is refused before a vector is read", () => {
    const contract = matchContract("l3.onnx", bert.slice(0, 2), l3Outputs, 384);
    assert.doesNotThrow(() => checkOutputDims("l3.onnx", contract, [2, 7, 384], 384));
    refused(() => checkOutputDims("l3.onnx", contract, [2, 7, 512], 384), /dims \[2, 7, 512\]/);
  });
});
