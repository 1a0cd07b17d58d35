import ort from "onnxruntime-node";
import { existsSync } from "node:fs";
import { pairWidth } from "./pair-inputs.js";

/** The file `npm run train:ranker` writes beside a ranker that reads the pairScore feature. */
export const PAIR_SCORER_FILE = "pair-scorer.onnx";

export interface PairScorer {
  /** The embedding dimension its rows are built for (its input is 2 x this wide). */
  readonly dimension: number;
  /** P(engage) per row of a row-major [rows, pairWidth(dimension)] matrix. */
  score(inputs: Float32Array, rows: number): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/**
 * The pair scorer: a small classifier (skl2onnx, no ZipMap) over pairInputs, fitted by
 * tools/train_ranker.py on the same rows as the ranker. Its input width fixes the embedding
 * dimension; a model of another width is refused, since it was fitted on another encoder's space.
 * 200 rows of 768 columns take about a millisecond, so it runs on the calling thread.
 */
export async function loadPairScorer(path: string, dimension: number): Promise<PairScorer> {
  if (!existsSync(path))
    throw new Error(
      `pair scorer missing: ${path} (the ranker reads pairScore; retrain with npm run train:ranker)`,
    );
  const session = await ort.InferenceSession.create(path, {
    executionProviders: ["cpu"],
    intraOpNumThreads: 1,
  });
  const input = session.inputNames[0]!;
  const output = session.outputNames.find((n) => n.includes("prob")) ?? session.outputNames.at(-1)!;
  const width = pairWidth(dimension);
  const declared = inputWidth(session, input);
  if (declared !== undefined && declared !== width) {
    await session.release();
    throw new Error(
      `pair scorer ${path} takes ${declared} columns, the encoder's ${dimension}-d vectors give ${width}: retrain with npm run train:ranker`,
    );
  }
  return {
    dimension,
    async score(inputs, rows) {
      if (rows === 0) return new Float32Array(0);
      const out = await session.run({ [input]: new ort.Tensor("float32", inputs, [rows, width]) }, [output]);
      const probs = out[output]!.data;
      const perRow = probs.length / rows;
      // [rows, 2] class probabilities: the positive class is the second column.
      return Float32Array.from({ length: rows }, (_, i) => Number(probs[i * perRow + perRow - 1]));
    },
    dispose: () => session.release(),
  };
}

/** The second dimension of the model's input, when its metadata fixes it. */
function inputWidth(session: ort.InferenceSession, input: string): number | undefined {
  const meta = session.inputMetadata.find((m) => m.name === input);
  if (!meta || !meta.isTensor) return undefined;
  const width = meta.shape[1];
  return typeof width === "number" ? width : undefined;
}
