import type { RankInput } from "./fixed-blend.js";
import { unitVector as unit } from "./unit-vector.js";

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
  {
    name: "daysFromLastActivity",
    pointInTime: true,
    about: "video post time minus the user's last comment, in days, clipped to ±365",
  },
  { name: "freshness", pointInTime: true, about: "post time scaled within the candidates (1 = newest)" },
  { name: "popularity", pointInTime: false, about: "log plays scaled within the candidates" },
  {
    name: "commentSim",
    pointInTime: true,
    about: "cosine to the centroid of the user's comments",
    readsVectors: true,
  },
  {
    name: "videoSim",
    pointInTime: true,
    about: "cosine to the centroid of the videos the user commented on",
    readsVectors: true,
  },
  {
    name: "bestVideoSim",
    pointInTime: true,
    about: "highest cosine to any one of the last 30 videos the user commented on",
    readsVectors: true,
  },
  {
    name: "languageMatch",
    pointInTime: true,
    about: "share of the user's commented videos in the candidate's language",
  },
  {
    name: "pairScore",
    pointInTime: true,
    about: "the pair scorer's P(engage) from the user's interest vectors and the candidate's (0 without one)",
    readsVectors: true,
    fromPairScorer: true,
  },
] as const;

/**
 * Whether these features need candidate and engaged-video vectors. Fetching and comparing them
 * roughly doubles a request's cost (README, "Learned ranking"), so serving fetches them only for a
 * ranker that reads them; training and the evaluation always do.
 */
export function readsVectors(features: readonly string[]): boolean {
  return FEATURES.some((f) => "readsVectors" in f && features.includes(f.name));
}

/** Whether these features need the vectors of the videos the user commented on (best single video). */
export function readsEngagedVectors(features: readonly string[]): boolean {
  return features.includes("bestVideoSim");
}

/** How many of the user's commented videos the best-single-video feature compares against (cost: candidates x this x 384). */
export const MAX_ENGAGED_VECTORS = 30;

export type FeatureName = (typeof FEATURES)[number]["name"];

export interface FeatureContext {
  affinity: ReadonlyMap<string, number>;
  /** The user's last comment; undefined for a user with none (cold start). */
  lastActiveAt?: Date;
  commentVector?: number[];
  videoVector?: number[];
  /** Vectors of the videos the user commented on, oldest first. */
  engagedVectors?: number[][];
  languageShare?: ReadonlyMap<string, number>;
}

export interface FeatureInput extends RankInput {
  commentCount: number;
  language?: string;
  /** Without it (reads other than recall) the similarity features are 0. */
  vector?: number[];
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
  const [commentDir, videoDir] = [unit(ctx.commentVector), unit(ctx.videoVector)];
  const engaged = (ctx.engagedVectors ?? [])
    .slice(-MAX_ENGAGED_VECTORS)
    .map((v) => unit(v))
    .filter((v): v is Float32Array => v !== undefined);
  candidates.forEach((c, i) => {
    const affinity = ctx.affinity.get(c.creatorId) ?? 0;
    const v = unit(c.vector);
    const days =
      last === undefined ? 0 : Math.max(-365, Math.min(365, (c.createdAt.getTime() - last) / 86_400_000));
    const row = [
      1 - c.distance,
      affinity,
      affinity > 0 ? 1 : 0,
      Math.log1p(c.playCount),
      Math.log1p(c.commentCount),
      days,
      newest > oldest ? (c.createdAt.getTime() - oldest) / (newest - oldest) : 1,
      maxPlays > 0 ? Math.log1p(c.playCount) / maxPlays : 0,
      dot(v, commentDir),
      dot(v, videoDir),
      v && engaged.length > 0 ? Math.max(...engaged.map((e) => dot(v, e))) : 0,
      c.language === undefined ? 0 : (ctx.languageShare?.get(c.language) ?? 0),
      // pairScore: filled in by the pair scorer (rankedItems), which needs the whole batch at once.
      0,
    ];
    out.set(row, i * width);
  });
  return out;
}

/** Cosine of two unit vectors; 0 when either is missing. */
function dot(a: Float32Array | undefined, b: Float32Array | undefined): number {
  if (!a || !b) return 0;
  let sum = 0;
  for (let k = 0; k < a.length; k++) sum += a[k]! * b[k]!;
  return sum;
}
