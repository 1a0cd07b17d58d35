import { PreTrainedTokenizer } from "@huggingface/transformers";
import { existsSync, readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import type { ProviderChoice } from "../embed/execution-provider.js";
import type { Pair } from "./pair-scorer.js";

export type { Pair };

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
  /** Word-piece ids of a text without special tokens. */
  tokens(text: string): number[];
  /** [CLS] query [SEP] document [SEP], the query cut first to its share, the document to the rest. */
  pair(queryTokens: number[], docTokens: number[]): Pair;
  /** One model run over the pairs, off the main thread: a relevance logit each, higher is more relevant. */
  score(pairs: readonly Pair[]): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/** Tokenises on the calling thread; the ONNX session runs in a worker thread (scorer-worker.ts). */
export async function createCrossEncoder(opts: CrossEncoderOptions): Promise<CrossEncoder> {
  if (!existsSync(opts.modelPath)) throw new Error(`Cross-encoder model missing: ${opts.modelPath}`);
  const tokenizer = loadTokenizer(opts.tokenizerDir);
  const [cls, sep] = specialIds(tokenizer);
  const maxTokens = opts.maxTokens ?? 64;
  const maxQuery = Math.min(opts.maxQueryTokens ?? 24, maxTokens - 4);
  const worker = await startWorker({ modelPath: opts.modelPath, provider: opts.provider ?? "auto", threads: opts.threads ?? 1 });

  const encoder: CrossEncoder = {
    modelId: opts.modelId,
    provider: worker.provider,
    tokens: (text) => tokenizer.encode(text, { add_special_tokens: false }) as number[],
    pair(queryTokens, docTokens) {
      const q = queryTokens.slice(0, maxQuery);
      const d = docTokens.slice(0, maxTokens - 3 - q.length);
      return { ids: [cls, ...q, sep, ...d, sep], docStart: q.length + 2 };
    },
    score: (pairs) => (pairs.length === 0 ? Promise.resolve(new Float32Array(0)) : worker.call({ pairs: [...pairs] })),
    dispose: () => worker.close(),
  };
  // A probe run: a model that loads but does not answer the contract fails here, at startup.
  try {
    const probe = await encoder.score([encoder.pair(encoder.tokens("probe query"), encoder.tokens("probe document"))]);
    if (probe.length !== 1 || !Number.isFinite(probe[0]!)) throw new Error(`${opts.modelPath}: expected one finite logit per pair, got ${probe.length} values`);
  } catch (err) {
    await encoder.dispose();
    throw err;
  }
  return encoder;
}

async function startWorker(data: { modelPath: string; provider: ProviderChoice; threads: number }) {
  const worker = new Worker(new URL("./scorer-worker.js", import.meta.url), { workerData: data });
  const waiting = new Map<number, { resolve(v: Float32Array): void; reject(e: Error): void }>();
  let nextId = 0;
  let failed: Error | undefined;
  const ready = await new Promise<{ provider: "cuda" | "cpu" }>((resolve, reject) => {
    worker.once("message", (msg: { ready: boolean; provider?: "cuda" | "cpu"; error?: string }) => (msg.ready ? resolve({ provider: msg.provider! }) : reject(new Error(msg.error))));
    worker.once("error", reject);
  }).catch(async (err: Error) => {
    await worker.terminate();
    throw err;
  });
  worker.on("message", (msg: { id: number; scores?: Float32Array; error?: string }) => {
    const w = waiting.get(msg.id);
    if (!w) return;
    waiting.delete(msg.id);
    if (msg.error) w.reject(new Error(msg.error));
    else w.resolve(msg.scores ?? new Float32Array(0));
  });
  // A dead worker fails what it held and everything after it, loudly, rather than hanging.
  const fail = (err: Error) => {
    failed = err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`cross-encoder worker exited (code ${code})`)));
  return {
    provider: ready.provider,
    call(msg: { pairs: Pair[] }): Promise<Float32Array> {
      if (failed) return Promise.reject(failed);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, ...msg });
      });
    },
    async close(): Promise<void> {
      if (!failed) await worker.terminate();
    },
  };
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
