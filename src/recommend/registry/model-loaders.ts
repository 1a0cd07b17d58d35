import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ProviderChoice } from "../../embed/execution-provider.js";
import { loadLearnedRanker, type LearnedRanker } from "../rank/learned-ranker.js";
import { FEATURES } from "../rank/ranking-features.js";
import { createCrossEncoder, type CrossEncoder } from "../rerank/cross-encoder.js";
import { fileMismatches, type RegistryEntry } from "./model-registry.js";

/** Why a model was refused: its files, its load in onnxruntime, or its contract with this code. */
export type RefusalCode = "NOT_FOUND" | "FILE_MISSING" | "HASH_MISMATCH" | "LOAD_FAILED" | "CONTRACT_BROKEN";

export type Loaded<T> = { ok: true; model: T } | { ok: false; code: RefusalCode; reason: string };

const refused = (code: RefusalCode, reason: string) => ({ ok: false as const, code, reason });

/** Every file there and equal to its manifest's hash; checked before onnxruntime sees a byte. */
async function checkFiles(entry: RegistryEntry): Promise<Loaded<never> | undefined> {
  const mismatches = await fileMismatches(entry);
  if (mismatches.length === 0) return undefined;
  const missing = mismatches.every((m) => m.includes(" is missing"));
  return refused(missing ? "FILE_MISSING" : "HASH_MISMATCH", mismatches.join("; "));
}

/**
 * A registered ranker, loaded and probed: its manifest's features must be ones this code computes
 * (in the served order), and the model must take [rows, its features] and give one probability a
 * row. A probe of two rows runs before it may serve.
 */
export async function loadRankerEntry(entry: RegistryEntry): Promise<Loaded<LearnedRanker>> {
  const bad = await checkFiles(entry);
  if (bad) return bad;
  const features = entry.manifest.features;
  const computed = FEATURES.map((f) => f.name as string);
  if (!Array.isArray(features) || features.length === 0)
    return refused("CONTRACT_BROKEN", "its manifest names no features");
  const unknown = features.filter((f) => !computed.includes(String(f)));
  if (unknown.length > 0)
    return refused(
      "CONTRACT_BROKEN",
      `it was trained on features this code does not compute: ${unknown.join(", ")} (this code computes ${computed.join(", ")}); retrain with npm run train:ranker`,
    );
  let ranker: LearnedRanker;
  try {
    ranker = await loadLearnedRanker(join(entry.filesDir, "model.onnx"));
  } catch (err) {
    const message = (err as Error).message;
    // Its features in another order than the served one: the loader's own contract check.
    return refused(message.includes("was trained on") ? "CONTRACT_BROKEN" : "LOAD_FAILED", message);
  }
  try {
    const probe = await ranker.score(new Float32Array(2 * FEATURES.length), 2);
    if (probe.length !== 2 || !probe.every((p) => Number.isFinite(p) && p >= 0 && p <= 1))
      throw new Error(`expected one probability a row, got [${Array.from(probe).join(", ")}]`);
  } catch (err) {
    await ranker.dispose().catch(() => {});
    return refused(
      "CONTRACT_BROKEN",
      `it does not score [rows, ${features.length}] feature rows into probabilities: ${(err as Error).message}`,
    );
  }
  return { ok: true, model: ranker };
}

/** A cross-encoder's contract failures, as createCrossEncoder words them (inputs, output shape, probe). */
const CONTRACT = /standard contract|unexpected model inputs|no output|one finite logit|\[CLS\]/;

/**
 * A registered cross-encoder, loaded with its own tokenizer (tokenizer.json among its files, else
 * the encoder's) and probed by createCrossEncoder: inputs input_ids, attention_mask (and
 * token_type_ids) -> one finite logit per pair.
 */
export async function loadCrossEncoderEntry(
  entry: RegistryEntry,
  opts: { fallbackTokenizerDir: string; maxTokens: number; threads: number; provider: ProviderChoice },
): Promise<Loaded<CrossEncoder>> {
  const bad = await checkFiles(entry);
  if (bad) return bad;
  const tokenizerDir = existsSync(join(entry.filesDir, "tokenizer.json"))
    ? entry.filesDir
    : opts.fallbackTokenizerDir;
  try {
    const model = await createCrossEncoder({
      modelPath: join(entry.filesDir, "model.onnx"),
      tokenizerDir,
      modelId: entry.manifest.id,
      maxTokens: opts.maxTokens,
      threads: opts.threads,
      provider: opts.provider,
    });
    return { ok: true, model };
  } catch (err) {
    const message = (err as Error).message;
    return refused(CONTRACT.test(message) ? "CONTRACT_BROKEN" : "LOAD_FAILED", message);
  }
}
