export type RecommendationSource = "personal" | "blend" | "bucket" | "popularAndFresh";

export interface ColdStartSignals {
  /** The user's interest from their comments (and the videos they were on), if any. */
  own?: number[];
  commentCount: number;
  /** The embedding of their onboarding interests, if they onboarded. */
  onboarding?: number[];
  /** Their finest cohort with enough members, if any. */
  cohort?: number[];
  /** At or above this many comments the user's own signal serves alone. */
  minComments: number;
}

/**
 * The fallback chain personal -> blend -> bucket -> popular-and-fresh. A user with enough comments
 * is served on their own interest. A thinner signal (a few comments, or only onboarding answers)
 * is blended with the cohort's vector, weighted by how many comments back it (onboarding answers
 * alone count half); without a cohort it serves alone, as "personal". No signal of one's own:
 * the cohort's vector; no cohort either: no vector, and recall falls back to popular and fresh.
 */
export function chooseQuery(s: ColdStartSignals): { source: RecommendationSource; vector?: number[] } {
  if (s.own && s.commentCount >= s.minComments) return { source: "personal", vector: s.own };
  const thin = s.own ?? s.onboarding;
  if (thin && s.cohort) {
    const weight = s.own ? Math.max(s.commentCount, 1) / s.minComments : 0.5;
    return {
      source: "blend",
      vector: normalised(thin.map((v, i) => weight * v + (1 - weight) * s.cohort![i]!)),
    };
  }
  if (thin) return { source: "personal", vector: thin };
  if (s.cohort) return { source: "bucket", vector: s.cohort };
  return { source: "popularAndFresh" };
}

/** Mean of unit vectors, scaled back to unit length. */
export function centroid(vectors: number[][]): number[] {
  const sum = new Array<number>(vectors[0]!.length).fill(0);
  for (const v of vectors) v.forEach((x, i) => (sum[i]! += x));
  return normalised(sum);
}

function normalised(v: number[]): number[] {
  const norm = Math.hypot(...v);
  return norm > 0 ? v.map((x) => x / norm) : v;
}
