import type { FeatureContext, FeatureInput } from "./ranking-features.js";
import { unitVector } from "./unit-vector.js";

/** The user-side vectors the pair scorer reads, in its column order. */
export const PAIR_QUERY_SIDES = ["commentVector", "videoVector"] as const;

/** Columns of one pair row: the candidate's unit vector times each of the user's, per dimension. */
export const pairWidth = (dimension: number) => PAIR_QUERY_SIDES.length * dimension;

/**
 * The pair scorer's input: for each candidate, the elementwise product of its unit vector with
 * each of the user's unit interest vectors (the comment centroid, then the commented-video
 * centroid). Summed, each half is a plain cosine; the scorer learns which dimensions matter,
 * which is how it reads content better than the cosine without a cross-encoder's cost: the video
 * side was encoded once at ingestion and the user side when they last commented. A missing vector
 * gives zeros. Serving and training both call this, so the scorer sees what it was fitted on.
 */
export function pairInputs(
  candidates: readonly FeatureInput[],
  ctx: FeatureContext,
  dimension: number,
): Float32Array {
  const width = pairWidth(dimension);
  const out = new Float32Array(candidates.length * width);
  const sides = PAIR_QUERY_SIDES.map((side) => unitVector(ctx[side], dimension));
  candidates.forEach((c, i) => {
    const v = unitVector(c.vector, dimension);
    if (!v) return;
    sides.forEach((u, s) => {
      if (!u) return;
      const base = i * width + s * dimension;
      for (let k = 0; k < dimension; k++) out[base + k] = v[k]! * u[k]!;
    });
  });
  return out;
}
