import ort from "onnxruntime-node";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { FEATURES } from "./ranking-features.js";
import { loadPairScorer, PAIR_SCORER_FILE, type PairScorer } from "./pair-scorer.js";
import { PAIR_QUERY_SIDES, pairWidth } from "./pair-inputs.js";

export interface LearnedRanker {
  readonly modelId: string;
  /** The features the model reads, a subset of FEATURES in their order. */
  readonly features: readonly string[];
  /** P(engage) per row of a row-major [rows, FEATURES.length] matrix. */
  score(features: Float32Array, rows: number): Promise<Float32Array>;
  /** Its pair scorer, when it reads the pairScore feature (fitted with it, in the same folder). */
  readonly pairScorer?: PairScorer;
  dispose(): Promise<void>;
}

/**
 * The ranker `npm run train:ranker` writes: an ONNX classifier (skl2onnx, no ZipMap) over
 * FEATURES or a subset of them, with manifest.json beside it. Refused when its manifest names a
 * feature this code does not compute: a model must see what it was trained on. It is small (a few hundred
 * weights), so it runs on the calling thread: 200 rows take well under a millisecond.
 */
export async function loadLearnedRanker(modelPath: string): Promise<LearnedRanker> {
  const manifestPath = join(dirname(modelPath), "manifest.json");
  if (!existsSync(modelPath) || !existsSync(manifestPath))
    throw new Error(`ranker model or its manifest.json missing: ${modelPath}`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    features: string[];
    model: string;
    trainedAt: string;
    pairScorer?: { width: number };
  };
  const computed = FEATURES.map((f) => f.name as string);
  // A model may use a subset of the features (e.g. the point-in-time ones), in the served order.
  const columns = manifest.features.map((name) => computed.indexOf(name));
  if (
    columns.length === 0 ||
    columns.some((c) => c < 0) ||
    columns.some((c, i) => i > 0 && c <= columns[i - 1]!)
  ) {
    throw new Error(
      `ranker ${modelPath} was trained on [${manifest.features.join(", ")}], this code computes [${computed.join(", ")}]: retrain with npm run train:ranker`,
    );
  }
  const pairScorer = manifest.features.includes("pairScore")
    ? await loadPairScorer(
        join(dirname(modelPath), PAIR_SCORER_FILE),
        (manifest.pairScorer?.width ?? pairWidth(384)) / PAIR_QUERY_SIDES.length,
      )
    : undefined;
  const session = await ort.InferenceSession.create(modelPath, {
    executionProviders: ["cpu"],
    intraOpNumThreads: 1,
  });
  const input = session.inputNames[0]!;
  const output = session.outputNames.find((n) => n.includes("prob")) ?? session.outputNames.at(-1)!;
  const width = FEATURES.length;
  const select = (features: Float32Array, rows: number) =>
    columns.length === width
      ? features
      : Float32Array.from(
          { length: rows * columns.length },
          (_, k) => features[Math.floor(k / columns.length) * width + columns[k % columns.length]!]!,
        );
  return {
    modelId: `${manifest.model}@${manifest.trainedAt}`,
    features: manifest.features,
    async score(features, rows) {
      if (rows === 0) return new Float32Array(0);
      const out = await session.run(
        { [input]: new ort.Tensor("float32", select(features, rows), [rows, columns.length]) },
        [output],
      );
      const probs = out[output]!;
      const perRow = probs.data.length / rows;
      // [rows, 2] class probabilities: the positive class is the second column.
      return Float32Array.from({ length: rows }, (_, i) => Number(probs.data[i * perRow + perRow - 1]));
    },
    pairScorer,
    dispose: async () => {
      await session.release();
      await pairScorer?.dispose();
    },
  };
}
