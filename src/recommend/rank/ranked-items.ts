import type { LearnedRanker } from "./learned-ranker.js";
import { FEATURES, rankingFeatures, type FeatureContext } from "./ranking-features.js";
import { rankFixedBlend, type RankSignals } from "./fixed-blend.js";
import type { VideoHit } from "../../store/video-search.js";

export interface RecommendedItem {
  videoId: string;
  creatorId: string;
  score: number;
  /** Cosine similarity to the query at recall. */
  similarity: number;
  signals: RankSignals;
  /** 1-based place after ranking (and the cross-encoder), before the rules moved it. */
  rankedPosition: number;
  /** 1-based place by the blend, before the cross-encoder; set on reranked lists. */
  blendPosition?: number;
  /** Cross-encoder logit, for items in the reranked head. */
  rerankScore?: number;
  /** 1-based place by cross-encoder score within the reranked head. */
  rerankPosition?: number;
  /** What the business rules did to this item, for `explain`. */
  rules: string[];
  /** Placed by an admin's sponsored slot, not by ranking. */
  sponsored: boolean;
  /** The learned ranker's inputs for this item (FEATURES order); training reads them from here too. */
  features?: number[];
}

/**
 * Ranks recalled videos into items that carry their explain trail: by the learned ranker when one
 * is loaded (its score is P(engage)), else by the fixed blend. Both paths compute the same
 * features and signals, so `explain` shows them either way.
 */
export async function rankedItems(hits: VideoHit[], ctx: FeatureContext = { affinity: new Map() }, ranker?: LearnedRanker): Promise<RecommendedItem[]> {
  const blended = rankFixedBlend(hits, ctx.affinity);
  const matrix = rankingFeatures(blended.map((r) => r.item), ctx);
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

/** Records on each item of the page where the rules moved it from its ranked place. */
export function noteMoves(page: RecommendedItem[], rule: string): RecommendedItem[] {
  for (const [i, item] of page.entries()) {
    if (item.rankedPosition !== i + 1) item.rules.push(`${rule}: moved from ${item.rankedPosition} to ${i + 1}`);
  }
  return page;
}
