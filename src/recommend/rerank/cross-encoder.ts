import { PreTrainedTokenizer } from "@huggingface/transformers";
import { existsSync, readFileSync } from "node:fs";
import type { ProviderChoice } from "../../embed/execution-provider.js";
import { openWorkerSession, type Feed, type WorkerSession } from "../../embed/ort-worker-session.js";

/** A tokenised (query, document) pair, ready for the model. */
export interface Pair {
  ids: number[];
  /** Where the document segment (token_type_ids = 1) starts. */
  docStart: number;
}

export interface CrossEncoderOptions {
  /** Any ONNX cross-encoder with the standard contract: input_ids, attention_mask, token_type_ids -> one logit per pair. */
  modelPath: string;
  /** A directory with tokenizer.json and tokenizer_config.json. */
  tokenizerDir: string;
  /** Names the model in status, logs and metrics. */
  modelId: string;
  /** Most tokens in a pair, [CLS] and both [SEP]s included. */
  maxTokens?: number;
  /** Most tokens the query may take of them; the document gets the rest. */
  maxQueryTokens?: number;
  threads?: number;
  provider?: ProviderChoice;
}

export interface CrossEncoder {
  readonly modelId: string;
  readonly provider: "cuda" | "cpu";
  /** Why that provider: CUDA's node placement, or why CUDA does not serve. */
  readonly providerReason?: string;
  /** Word-piece ids of a text without special tokens. */
  tokens(text: string): number[];
  /** [CLS] query [SEP] document [SEP], the query cut first to its share, the document to the rest. */
  pair(queryTokens: number[], docTokens: number[]): Pair;
  /** One model run over the pairs, off the main thread: a relevance logit each, higher is more relevant. */
  score(pairs: readonly Pair[]): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/** Tokenises on the calling thread; the ONNX session runs in a worker thread (ort-worker-session.ts). */
export async function createCrossEncoder(opts: CrossEncoderOptions): Promise<CrossEncoder> {
  if (!existsSync(opts.modelPath)) throw new Error(`Cross-encoder model missing: ${opts.modelPath}`);
  const tokenizer = loadTokenizer(opts.tokenizerDir);
  const [cls, sep] = specialIds(tokenizer);
  const maxTokens = opts.maxTokens ?? 64;
  const maxQuery = Math.min(opts.maxQueryTokens ?? 24, maxTokens - 4);
  const session = await openWorkerSession(opts.modelPath, opts.provider ?? "auto", opts.threads ?? 1);
  try {
    checkContract(session, opts.modelPath);
  } catch (err) {
    await session.release();
    throw err;
  }
  const output = session.outputNames[0]!;

  const encoder: CrossEncoder = {
    modelId: opts.modelId,
    provider: session.provider,
    providerReason: session.providerReason,
    tokens: (text) => tokenizer.encode(text, { add_special_tokens: false }) as number[],
    pair(queryTokens, docTokens) {
      const q = queryTokens.slice(0, maxQuery);
      const d = docTokens.slice(0, maxTokens - 3 - q.length);
      return { ids: [cls, ...q, sep, ...d, sep], docStart: q.length + 2 };
    },
    async score(pairs) {
      if (pairs.length === 0) return new Float32Array(0);
      const all = feeds(pairs);
      const out = await session.run(Object.fromEntries(session.inputNames.map((n) => [n, all[n]!])), [
        output,
      ]);
      const logits = out[output]!;
      const oneEach =
        (logits.dims.length === 1 || (logits.dims.length === 2 && logits.dims[1] === 1)) &&
        logits.dims[0] === pairs.length;
      if (!oneEach)
        throw new Error(
          `${opts.modelPath}: expected one finite logit per pair, got output ${output} of shape [${logits.dims.join(", ")}]`,
        );
      return logits.data;
    },
    dispose: () => session.release(),
  };
  // A probe run: a model that loads but does not answer the contract fails here, at startup.
  try {
    const probe = await encoder.score([
      encoder.pair(encoder.tokens("probe query"), encoder.tokens("probe document")),
    ]);
    if (probe.length !== 1 || !Number.isFinite(probe[0]!))
      throw new Error(`${opts.modelPath}: expected one finite logit per pair, got ${probe.length} values`);
  } catch (err) {
    await encoder.dispose();
    throw err;
  }
  return encoder;
}

function checkContract(session: WorkerSession, path: string): void {
  const missing = ["input_ids", "attention_mask"].filter((n) => !session.inputNames.includes(n));
  if (missing.length > 0)
    throw new Error(
      `${path}: not a cross-encoder with the standard contract (no ${missing.join(", ")} input)`,
    );
  const unknown = session.inputNames.filter(
    (n) => !["input_ids", "attention_mask", "token_type_ids"].includes(n),
  );
  if (unknown.length > 0) throw new Error(`${path}: unexpected model inputs ${unknown.join(", ")}`);
  if (session.outputNames.length === 0) throw new Error(`${path}: the model has no output`);
}

/** Pads the pairs to the longest one; segment B gets token_type_ids 1. */
function feeds(pairs: readonly Pair[]): Record<string, Feed> {
  const rows = pairs.length;
  const width = Math.max(...pairs.map((p) => p.ids.length));
  const ids = new BigInt64Array(rows * width);
  const mask = new BigInt64Array(rows * width);
  const types = new BigInt64Array(rows * width);
  pairs.forEach((p, r) => {
    p.ids.forEach((id, t) => {
      ids[r * width + t] = BigInt(id);
      mask[r * width + t] = 1n;
      if (t >= p.docStart) types[r * width + t] = 1n;
    });
  });
  const dims = [rows, width];
  return {
    input_ids: { type: "int64", data: ids, dims },
    attention_mask: { type: "int64", data: mask, dims },
    token_type_ids: { type: "int64", data: types, dims },
  };
}

function loadTokenizer(dir: string): PreTrainedTokenizer {
  const read = (file: string) => JSON.parse(readFileSync(`${dir}/${file}`, "utf8")) as object;
  if (!existsSync(`${dir}/tokenizer.json`))
    throw new Error(`Cross-encoder tokenizer missing: ${dir}/tokenizer.json`);
  return new PreTrainedTokenizer(
    read("tokenizer.json"),
    existsSync(`${dir}/tokenizer_config.json`) ? read("tokenizer_config.json") : {},
  );
}

/** [CLS] and [SEP] as this tokenizer writes them around a single text. */
function specialIds(tokenizer: PreTrainedTokenizer): [number, number] {
  const ids = tokenizer.encode("") as number[];
  if (ids.length !== 2) throw new Error("cross-encoder tokenizer does not wrap texts in [CLS] ... [SEP]");
  return [ids[0]!, ids[1]!];
}
