import { AutoTokenizer, env as hfEnv, type PreTrainedTokenizer } from "@huggingface/transformers";
import { EMBEDDING_DIM } from "./model-files.js";
import { checkOutputDims, matchContract, type EncoderContract } from "./encoder-contract.js";
import { resolveEncoder, type EncoderChoice } from "./encoder-choice.js";
import type { ProviderChoice } from "./execution-provider.js";
import { openWorkerSession, type WorkerSession } from "./ort-worker-session.js";

export interface EncoderOptions {
  modelsDir: string;
  /**
   * EMBED_MODEL: "auto" takes MiniLM-L6's fp32 export when provisioned (faster on CPU, exact
   * parity), else int8; "q8"/"fp32" force one; a model's name (paraphrase-MiniLM-L3-v2) picks that model.
   */
  variant?: EncoderChoice;
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
  /** Why that provider: CUDA's node placement, or why CUDA does not serve (status shows it). */
  readonly providerReason?: string;
  readonly dim: number;
  /** Tokens the model sees for a text, [CLS] and [SEP] included, after truncation. */
  countTokens(text: string): number;
  /** L2-normalised 384-d vectors, in the order of the texts. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

/**
 * A sentence-transformers encoder (all-MiniLM-L6-v2, or paraphrase-MiniLM-L3-v2 by EMBED_MODEL)
 * as sentence-transformers computes it: BERT, mean pooling over real tokens, L2 norm. The model
 * must fit the encoder contract (encoder-contract.ts) or it is refused before it serves. Texts are sorted by token length before batching, so a batch pads only to its
 * longest member, and each batch's inputs are written straight into typed arrays.
 */
export async function createEncoder(opts: EncoderOptions): Promise<Encoder> {
  const model = resolveEncoder(opts.modelsDir, opts.variant ?? "auto");
  const { modelPath, maxTokens } = model;
  hfEnv.allowRemoteModels = false;
  hfEnv.localModelPath = `${opts.modelsDir}/`;
  const tokenizer = await AutoTokenizer.from_pretrained(model.tokenizerName);
  const session = await openWorkerSession(modelPath, opts.provider ?? "auto", opts.threads ?? 0);
  const provider = session.provider;
  let contract: EncoderContract;
  try {
    contract = matchContract(modelPath, session.inputMetadata, session.outputMetadata, EMBEDDING_DIM);
    // A dimension the metadata leaves symbolic is only known from a run: probe once before serving.
    await runBatch(session, [tokenize(tokenizer, "probe", maxTokens)], contract, modelPath);
  } catch (err) {
    await session.release();
    throw err;
  }
  const batchSize = opts.batchSize ?? 32;
  const batchTokens = opts.batchTokens ?? 1024;

  return {
    modelId: model.modelId,
    provider,
    providerReason: session.providerReason,
    dim: EMBEDDING_DIM,
    countTokens: (text) => tokenize(tokenizer, text, maxTokens).length,
    async embed(texts) {
      const ids = texts.map((t) => tokenize(tokenizer, t, maxTokens));
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
          contract,
          modelPath,
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

/** Token ids with [CLS] and [SEP], cut like sentence-transformers does at the model's max_seq_length. */
function tokenize(tokenizer: PreTrainedTokenizer, text: string, maxTokens: number): number[] {
  const ids = tokenizer.encode(text) as number[];
  if (ids.length <= maxTokens) return ids;
  return [...ids.slice(0, maxTokens - 1), ids.at(-1)!];
}

async function runBatch(
  session: WorkerSession,
  batch: number[][],
  contract: EncoderContract,
  modelPath: string,
): Promise<Float32Array[]> {
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
  const all = {
    input_ids: { type: "int64" as const, data: inputIds, dims },
    attention_mask: { type: "int64" as const, data: mask, dims },
    token_type_ids: { type: "int64" as const, data: new BigInt64Array(rows * width), dims },
  };
  // Only what the model declares: paraphrase-MiniLM-L3-v2's export has no token_type_ids.
  const feeds = Object.fromEntries(contract.inputs.map((name) => [name, all[name]]));
  const result = (await session.run(feeds, [contract.output]))[contract.output]!;
  checkOutputDims(modelPath, contract, result.dims, EMBEDDING_DIM);
  if (!contract.pool)
    return batch.map((_, r) => result.data.slice(r * EMBEDDING_DIM, (r + 1) * EMBEDDING_DIM));
  return meanPoolNormalise(
    result.data,
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
