import { PreTrainedTokenizer } from "@huggingface/transformers";
import ort from "onnxruntime-node";
import { existsSync, readFileSync } from "node:fs";
import { openOrtSession, type ProviderChoice } from "../embed/execution-provider.js";

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

/** A tokenised (query, document) pair, ready for the model. */
export interface Pair {
  ids: number[];
  /** Where the document segment (token_type_ids = 1) starts. */
  docStart: number;
}

export interface CrossEncoder {
  readonly modelId: string;
  readonly provider: "cuda" | "cpu";
  /** Word-piece ids of a text without special tokens. */
  tokens(text: string): number[];
  /** [CLS] query [SEP] document [SEP], the query cut first to its share, the document to the rest. */
  pair(queryTokens: number[], docTokens: number[]): Pair;
  /** One model run over the pairs: a relevance logit each, higher is more relevant. */
  score(pairs: readonly Pair[]): Promise<Float32Array>;
  dispose(): Promise<void>;
}

export async function createCrossEncoder(opts: CrossEncoderOptions): Promise<CrossEncoder> {
  if (!existsSync(opts.modelPath)) throw new Error(`Cross-encoder model missing: ${opts.modelPath}`);
  const tokenizer = loadTokenizer(opts.tokenizerDir);
  const [cls, sep] = specialIds(tokenizer);
  const maxTokens = opts.maxTokens ?? 64;
  const maxQuery = Math.min(opts.maxQueryTokens ?? 24, maxTokens - 4);
  const { session, provider } = await openOrtSession(opts.modelPath, opts.provider ?? "auto", opts.threads ?? 1);
  checkContract(session, opts.modelPath);

  const encoder: CrossEncoder = {
    modelId: opts.modelId,
    provider,
    tokens: (text) => tokenizer.encode(text, { add_special_tokens: false }) as number[],
    pair(queryTokens, docTokens) {
      const q = queryTokens.slice(0, maxQuery);
      const d = docTokens.slice(0, maxTokens - 3 - q.length);
      return { ids: [cls, ...q, sep, ...d, sep], docStart: q.length + 2 };
    },
    async score(pairs) {
      if (pairs.length === 0) return new Float32Array(0);
      const all = feeds(pairs);
      const out = await session.run(Object.fromEntries(session.inputNames.map((n) => [n, all[n]!])));
      const logits = out[session.outputNames[0]!]!;
      const perPair = logits.data.length / pairs.length;
      const data = logits.data as Float32Array;
      // [batch, 1] or [batch]: one logit each. (Checked at load: anything else is refused.)
      return perPair === 1 ? Float32Array.from(data) : Float32Array.from(pairs, (_, i) => data[i * perPair]!);
    },
    dispose: () => session.release(),
  };
  // A probe run: a model that loads but does not answer the contract fails here, at startup.
  const probe = await encoder.score([encoder.pair(encoder.tokens("probe query"), encoder.tokens("probe document"))]);
  if (probe.length !== 1 || !Number.isFinite(probe[0]!)) throw new Error(`${opts.modelPath}: expected one finite logit per pair, got ${probe.length} values`);
  return encoder;
}

function loadTokenizer(dir: string): PreTrainedTokenizer {
  const read = (file: string) => JSON.parse(readFileSync(`${dir}/${file}`, "utf8")) as object;
  if (!existsSync(`${dir}/tokenizer.json`)) throw new Error(`Cross-encoder tokenizer missing: ${dir}/tokenizer.json`);
  return new PreTrainedTokenizer(read("tokenizer.json"), existsSync(`${dir}/tokenizer_config.json`) ? read("tokenizer_config.json") : {});
}

/** [CLS] and [SEP] as this tokenizer writes them around a single text. */
function specialIds(tokenizer: PreTrainedTokenizer): [number, number] {
  const ids = tokenizer.encode("") as number[];
  if (ids.length !== 2) throw new Error("cross-encoder tokenizer does not wrap texts in [CLS] ... [SEP]");
  return [ids[0]!, ids[1]!];
}

function checkContract(session: ort.InferenceSession, path: string): void {
  const missing = ["input_ids", "attention_mask"].filter((n) => !session.inputNames.includes(n));
  if (missing.length > 0) throw new Error(`${path}: not a cross-encoder with the standard contract (no ${missing.join(", ")} input)`);
  const unknown = session.inputNames.filter((n) => !["input_ids", "attention_mask", "token_type_ids"].includes(n));
  if (unknown.length > 0) throw new Error(`${path}: unexpected model inputs ${unknown.join(", ")}`);
  if (session.outputNames.length === 0) throw new Error(`${path}: the model has no output`);
}

/** Pads the pairs to the longest one; token_type_ids only when the model takes them. */
function feeds(pairs: readonly Pair[]): Record<string, ort.Tensor> {
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
    input_ids: new ort.Tensor("int64", ids, dims),
    attention_mask: new ort.Tensor("int64", mask, dims),
    token_type_ids: new ort.Tensor("int64", types, dims),
  };
}
