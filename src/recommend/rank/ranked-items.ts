import type { LearnedRanker } from "./learned-ranker.js";
import { FEATURES, rankingFeatures, type FeatureContext } from "./ranking-features.js";
import type { RecommendedItem } from "../../domain/recommended-item.js";
import { rankFixedBlend } from "./fixed-blend.js";
import { pairInputs, pairWidth } from "./pair-inputs.js";
import type { VideoHit } from "../../store/video-search.js";

/** Where the pair scorer's output goes in the feature row. */
const PAIR_SCORE_COLUMN = FEATURES.findIndex((f) => f.name === "pairScore");

/**
 * Ranks recalled videos into items that carry their explain trail: by the learned ranker when one
 * is loaded (its score is P(engage)), else by the fixed blend. Both paths compute the same
 * features and signals, so `explain` shows them either way.
 */
export async function rankedItems(
  hits: VideoHit[],
  ctx: FeatureContext = { affinity: new Map() },
  ranker?: LearnedRanker,
  opts: { keepPairInputs?: boolean } = {},
): Promise<RecommendedItem[]> {
  const blended = rankFixedBlend(hits, ctx.affinity, { lastActiveAt: ctx.lastActiveAt });
  const candidates = blended.map((r) => r.item);
  const matrix = rankingFeatures(candidates, ctx);
  const width = FEATURES.length;
  const scorer = ranker?.pairScorer;
  const dimension = scorer?.dimension ?? candidates.find((c) => c.vector)?.vector?.length ?? 384;
  const pairs = scorer || opts.keepPairInputs ? pairInputs(candidates, ctx, dimension) : undefined;
  if (scorer && pairs) {
    const scores = await scorer.score(pairs, candidates.length);
    scores.forEach((s, i) => (matrix[i * width + PAIR_SCORE_COLUMN] = s));
  }
  const learned = ranker ? await ranker.score(matrix, blended.length) : undefined;
  const pairColumns = pairWidth(dimension);
  const items = blended.map((r, i) => ({
    videoId: r.item.videoId,
    creatorId: r.item.creatorId,
    score: learned ? learned[i]! : r.score,
    similarity: 1 - r.item.distance,
    signals: r.signals,
    rankedPosition: 0,
    rules: [] as string[],
    sponsored: false,
    features: Array.from(matrix.subarray(i * width, (i + 1) * width)),
    ...(opts.keepPairInputs && pairs
      ? { pairInputs: pairs.slice(i * pairColumns, (i + 1) * pairColumns) }
      : {}),
  }));
  if (learned) items.sort((a, b) => b.score - a.score || a.videoId.localeCompare(b.videoId));
  items.forEach((item, i) => (item.rankedPosition = i + 1));
  return items;
}
