import type { RankInput } from "../rerank/fixed-blend.js";

/**
 * The learned ranker's inputs, in the model's column order. Serving (`rankedItems`) and training
 * (`npm run train:ranker`) both call `rankingFeatures`, so the model sees in production exactly
 * what it was fitted on. Marked: which read counts as of the scrape (not point-in-time).
 */
export const FEATURES = [
  { name: "content", pointInTime: true, about: "cosine to the served query vector" },
  { name: "affinity", pointInTime: true, about: "share of the user's past comments on the creator" },
  { name: "hasAffinity", pointInTime: true, about: "1 when the user commented on the creator before" },
  { name: "logPlays", pointInTime: false, about: "log(1 + plays)" },
  { name: "logComments", pointInTime: false, about: "log(1 + comments on the video)" },
  { name: "daysFromLastActivity", pointInTime: true, about: "video post time minus the user's last comment, in days, clipped to ±365" },
  { name: "freshness", pointInTime: true, about: "post time scaled within the candidates (1 = newest)" },
  { name: "popularity", pointInTime: false, about: "log plays scaled within the candidates" },
] as const;

export type FeatureName = (typeof FEATURES)[number]["name"];

export interface FeatureContext {
  affinity: ReadonlyMap<string, number>;
  /** The user's last comment; undefined for a user with none (cold start). */
  lastActiveAt?: Date;
}

export interface FeatureInput extends RankInput {
  commentCount: number;
}

/** One row per candidate, FEATURES.length columns, row-major: the model's input tensor. */
export function rankingFeatures(candidates: readonly FeatureInput[], ctx: FeatureContext): Float32Array {
  const width = FEATURES.length;
  const out = new Float32Array(candidates.length * width);
  if (candidates.length === 0) return out;
  const maxPlays = Math.log1p(Math.max(...candidates.map((c) => c.playCount)));
  const times = candidates.map((c) => c.createdAt.getTime());
  const [oldest, newest] = [Math.min(...times), Math.max(...times)];
  const last = ctx.lastActiveAt?.getTime();
  candidates.forEach((c, i) => {
    const affinity = ctx.affinity.get(c.creatorId) ?? 0;
    const days = last === undefined ? 0 : Math.max(-365, Math.min(365, (c.createdAt.getTime() - last) / 86_400_000));
    const row = [
      1 - c.distance,
      affinity,
      affinity > 0 ? 1 : 0,
      Math.log1p(c.playCount),
      Math.log1p(c.commentCount),
      days,
      newest > oldest ? (c.createdAt.getTime() - oldest) / (newest - oldest) : 1,
      maxPlays > 0 ? Math.log1p(c.playCount) / maxPlays : 0,
    ];
    out.set(row, i * width);
  });
  return out;
}
