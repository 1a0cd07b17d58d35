import type { LearnedRanker } from "./learned-ranker.js";
import { FEATURES, rankingFeatures, type FeatureContext } from "./ranking-features.js";
import type { RecommendedItem } from "../../domain/recommended-item.js";
import { rankFixedBlend } from "./fixed-blend.js";
import type { VideoHit } from "../../store/video-search.js";

/**
 * Ranks recalled videos into items that carry their explain trail: by the learned ranker when one
 * is loaded (its score is P(engage)), else by the fixed blend. Both paths compute the same
 * features and signals, so `explain` shows them either way.
 */
export async function rankedItems(
  hits: VideoHit[],
  ctx: FeatureContext = { affinity: new Map() },
  ranker?: LearnedRanker,
): Promise<RecommendedItem[]> {
  const blended = rankFixedBlend(hits, ctx.affinity);
  const matrix = rankingFeatures(
    blended.map((r) => r.item),
    ctx,
  );
  const width = FEATURES.length;
  const learned = ranker ? await ranker.score(matrix, blended.length) : undefined;
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
  }));
  if (learned) items.sort((a, b) => b.score - a.score || a.videoId.localeCompare(b.videoId));
  items.forEach((item, i) => (item.rankedPosition = i + 1));
  return items;
}
