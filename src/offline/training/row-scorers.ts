import type { LearnedRanker } from "../../recommend/rank/learned-ranker.js";
import { FEATURES } from "../../recommend/rank/ranking-features.js";
import type { TrainingRow } from "./training-rows.js";

const PAIR_SCORE_COLUMN = FEATURES.findIndex((f) => f.name === "pairScore");

/**
 * A learned ranker's scores for labelled rows, as serving computes them (rankedItems): the rows'
 * features, with the pairScore column filled by the ranker's own pair scorer when it reads one
 * (training rows are built without a ranker, so that column is 0 in them).
 */
export async function rankerScores(ranker: LearnedRanker, rows: TrainingRow[]): Promise<number[]> {
  const width = FEATURES.length;
  const matrix = new Float32Array(rows.length * width);
  rows.forEach((r, i) => matrix.set(r.features, i * width));
  const scorer = ranker.pairScorer;
  if (scorer && rows.length > 0) {
    const pairWidth = rows[0]!.pairInputs.length;
    const pairs = new Float32Array(rows.length * pairWidth);
    rows.forEach((r, i) => pairs.set(r.pairInputs, i * pairWidth));
    const scores = await scorer.score(pairs, rows.length);
    scores.forEach((s, i) => (matrix[i * width + PAIR_SCORE_COLUMN] = s));
  }
  return Array.from(await ranker.score(matrix, rows.length));
}

/** The fixed blend's scores for labelled rows: what serving ranked them by without a learned ranker. */
export function blendScores(rows: TrainingRow[]): number[] {
  return rows.map((r) => {
    if (r.blendScore === undefined) throw new Error(`row ${r.userId}/${r.videoId} has no fixed-blend score`);
    return r.blendScore;
  });
}
