import { AutoTokenizer, env as hfEnv, type PreTrainedTokenizer } from "@huggingface/transformers";
import { existsSync } from "node:fs";
import {
  EMBEDDING_DIM,
  ENCODER_NAME,
  MAX_TOKENS,
  modelId,
  modelLayout,
  type ModelVariant,
} from "./model-files.js";
import type { ProviderChoice } from "./execution-provider.js";
import { openWorkerSession, type WorkerSession } from "./ort-worker-session.js";

export interface EncoderOptions {
  modelsDir: string;
  /** "auto" takes the fp32 export when provisioned (faster on CPU, exact parity), else int8. */
  variant?: ModelVariant | "auto";
  batchSize?: number;
  /** Most tokens (rows x padded width) in one run: long texts go in smaller batches, which stay in cache. */
  batchTokens?: number;
  /** Intra-op threads; 0 lets onnxruntime choose. */
  threads?: number;
  provider?: ProviderChoice;
}

export interface Encoder {
  /** Names the weights and precision: part of every content hash, so a model change re-embeds. */
  readonly modelId: string;
  readonly provider: "cuda" | "cpu";
  readonly dim: number;
  /** Tokens the model sees for a text, [CLS] and [SEP] included, after truncation. */
  countTokens(text: string): number;
  /** L2-normalised 384-d vectors, in the order of the texts. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

/**
 * all-MiniLM-L6-v2 as sentence-transformers computes it: BERT, mean pooling over real tokens,
 * L2 norm. Texts are sorted by token length before batching, so a batch pads only to its
 * longest member, and each batch's inputs are written straight into typed arrays.
 */
export async function createEncoder(opts: EncoderOptions): Promise<Encoder> {
  const layout = modelLayout(opts.modelsDir);
  const wanted = opts.variant ?? "auto";
  const variant: ModelVariant = wanted === "auto" ? (existsSync(layout.onnx.fp32) ? "fp32" : "q8") : wanted;
  const modelPath = layout.onnx[variant];
  if (!existsSync(modelPath)) {
    throw new Error(
      `Encoder model missing: ${modelPath}. Run \`npm run provision\`${variant === "fp32" ? " with EMBED_MODEL=fp32" : ""}.`,
    );
  }
  hfEnv.allowRemoteModels = false;
  hfEnv.localModelPath = `${opts.modelsDir}/`;
  const tokenizer = await AutoTokenizer.from_pretrained(ENCODER_NAME);
  const session = await openWorkerSession(modelPath, opts.provider ?? "auto", opts.threads ?? 0);
  const provider = session.provider;
  const fused = session.outputNames.includes("sentence_embedding");
  const batchSize = opts.batchSize ?? 32;
  const batchTokens = opts.batchTokens ?? 1024;

  return {
    modelId: modelId(variant),
    provider,
    dim: EMBEDDING_DIM,
    countTokens: (text) => tokenize(tokenizer, text).length,
    async embed(texts) {
      const ids = texts.map((t) => tokenize(tokenizer, t));
      const order = ids.map((_, i) => i).sort((a, b) => ids[a]!.length - ids[b]!.length);
      const out = new Array<Float32Array>(texts.length);
      for (const batch of batches(
        order.map((i) => ids[i]!.length),
        batchSize,
        batchTokens,
      )) {
        const members = batch.map((k) => order[k]!);
        const vectors = await runBatch(
          session,
          members.map((i) => ids[i]!),
          fused,
        );
        members.forEach((textIndex, row) => (out[textIndex] = vectors[row]!));
      }
      return out;
    },
    dispose: () => session.release(),
  };
}

/**
 * Splits length-sorted texts into runs of at most maxRows rows and maxTokens padded tokens
 * (always at least one row). Returns positions into the sorted list.
 */
export function batches(sortedLengths: number[], maxRows: number, maxTokens: number): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  sortedLengths.forEach((length, k) => {
    if (current.length > 0 && (current.length >= maxRows || (current.length + 1) * length > maxTokens)) {
      out.push(current);
      current = [];
    }
    current.push(k);
  });
  if (current.length > 0) out.push(current);
  return out;
}

/** Token ids with [CLS] and [SEP], cut like sentence-transformers does at MAX_TOKENS. */
function tokenize(tokenizer: PreTrainedTokenizer, text: string): number[] {
  const ids = tokenizer.encode(text) as number[];
  if (ids.length <= MAX_TOKENS) return ids;
  return [...ids.slice(0, MAX_TOKENS - 1), ids.at(-1)!];
}

async function runBatch(session: WorkerSession, batch: number[][], fused: boolean): Promise<Float32Array[]> {
  const rows = batch.length;
  const width = batch.at(-1)!.length; // batches are sorted by length: the last is the longest
  const inputIds = new BigInt64Array(rows * width);
  const mask = new BigInt64Array(rows * width);
  batch.forEach((ids, r) => {
    for (let t = 0; t < ids.length; t++) {
      inputIds[r * width + t] = BigInt(ids[t]!);
      mask[r * width + t] = 1n;
    }
  });
  const dims = [rows, width];
  const feeds = {
    input_ids: { type: "int64" as const, data: inputIds, dims },
    attention_mask: { type: "int64" as const, data: mask, dims },
    token_type_ids: { type: "int64" as const, data: new BigInt64Array(rows * width), dims },
  };
  if (fused) {
    const { sentence_embedding } = await session.run(feeds, ["sentence_embedding"]);
    const data = sentence_embedding!.data;
    return batch.map((_, r) => data.slice(r * EMBEDDING_DIM, (r + 1) * EMBEDDING_DIM));
  }
  const { last_hidden_state } = await session.run(feeds, ["last_hidden_state"]);
  return meanPoolNormalise(
    last_hidden_state!.data,
    batch.map((ids) => ids.length),
    width,
  );
}

/** Mean over each row's real tokens (the padded tail is skipped, not multiplied by zero), then L2. */
export function meanPoolNormalise(hidden: Float32Array, lengths: number[], width: number): Float32Array[] {
  return lengths.map((len, r) => {
    const v = new Float32Array(EMBEDDING_DIM);
    const base = r * width * EMBEDDING_DIM;
    for (let t = 0; t < len; t++) {
      const offset = base + t * EMBEDDING_DIM;
      for (let d = 0; d < EMBEDDING_DIM; d++) v[d]! += hidden[offset + d]!;
    }
    let norm = 0;
    for (let d = 0; d < EMBEDDING_DIM; d++) norm += v[d]! * v[d]!;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < EMBEDDING_DIM; d++) v[d]! *= scale;
    return v;
  });
}
