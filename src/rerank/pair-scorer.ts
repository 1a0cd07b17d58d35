import type ort from "onnxruntime-node";
import { openOrtSession, type ProviderChoice } from "../embed/execution-provider.js";

/** A tokenised (query, document) pair, ready for the model. */
export interface Pair {
  ids: number[];
  /** Where the document segment (token_type_ids = 1) starts. */
  docStart: number;
}

export interface ScorerOptions {
  modelPath: string;
  provider: ProviderChoice;
  threads: number;
}

/** The ONNX session of a cross-encoder: pairs in, one logit each out. Runs on the calling thread. */
export async function openPairScorer(opts: ScorerOptions) {
  const ortModule = (await import("onnxruntime-node")).default;
  const { session, provider } = await openOrtSession(opts.modelPath, opts.provider, opts.threads);
  checkContract(session, opts.modelPath);
  return {
    provider,
    async score(pairs: readonly Pair[]): Promise<Float32Array> {
      if (pairs.length === 0) return new Float32Array(0);
      const all = feeds(ortModule, pairs);
      const out = await session.run(Object.fromEntries(session.inputNames.map((n) => [n, all[n]!])));
      const logits = out[session.outputNames[0]!]!;
      const oneEach = (logits.dims.length === 1 || (logits.dims.length === 2 && logits.dims[1] === 1)) && logits.dims[0] === pairs.length;
      if (!oneEach) throw new Error(`${opts.modelPath}: expected one finite logit per pair, got output ${session.outputNames[0]} of shape [${logits.dims.join(", ")}]`);
      return Float32Array.from(logits.data as Float32Array);
    },
    dispose: () => session.release(),
  };
}

function checkContract(session: ort.InferenceSession, path: string): void {
  const missing = ["input_ids", "attention_mask"].filter((n) => !session.inputNames.includes(n));
  if (missing.length > 0) throw new Error(`${path}: not a cross-encoder with the standard contract (no ${missing.join(", ")} input)`);
  const unknown = session.inputNames.filter((n) => !["input_ids", "attention_mask", "token_type_ids"].includes(n));
  if (unknown.length > 0) throw new Error(`${path}: unexpected model inputs ${unknown.join(", ")}`);
  if (session.outputNames.length === 0) throw new Error(`${path}: the model has no output`);
}

/** Pads the pairs to the longest one; segment B gets token_type_ids 1. */
function feeds(o: typeof ort, pairs: readonly Pair[]): Record<string, ort.Tensor> {
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
  return { input_ids: new o.Tensor("int64", ids, dims), attention_mask: new o.Tensor("int64", mask, dims), token_type_ids: new o.Tensor("int64", types, dims) };
}
