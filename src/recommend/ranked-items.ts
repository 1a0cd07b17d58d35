import { rankFixedBlend, type RankSignals } from "../rerank/fixed-blend.js";
import type { VideoHit } from "../store/video-search.js";

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
  /** What the business rules did to this item, for `explain`. */
  rules: string[];
  /** Placed by an admin's sponsored slot, not by ranking. */
  sponsored: boolean;
}

/** Ranks recalled videos into items that carry their explain trail. */
export function rankedItems(hits: VideoHit[], affinity?: ReadonlyMap<string, number>): RecommendedItem[] {
  return rankFixedBlend(hits, affinity).map((r, i) => ({
    videoId: r.item.videoId,
    creatorId: r.item.creatorId,
    score: r.score,
    similarity: 1 - r.item.distance,
    signals: r.signals,
    rankedPosition: i + 1,
    rules: [],
    sponsored: false,
  }));
}

/** Records on each item of the page where the rules moved it from its ranked place. */
export function noteMoves(page: RecommendedItem[], rule: string): RecommendedItem[] {
  for (const [i, item] of page.entries()) {
    if (item.rankedPosition !== i + 1) item.rules.push(`${rule}: moved from ${item.rankedPosition} to ${i + 1}`);
  }
  return page;
}
