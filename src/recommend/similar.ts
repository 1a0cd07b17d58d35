import { recallVideos } from "../recall/recall-videos.js";
import { applyDiversityQuota } from "../rules/diversity-quota.js";
import { nearCreators } from "../store/creator-search.js";
import { vectorByTikTokId } from "../store/interest-lookup.js";
import type { WeaviateHandle } from "../store/weaviate-connection.js";
import { noteMoves, rankedItems, type RecommendedItem } from "./ranked-items.js";

export type SimilarVideosOutcome = { kind: "page"; items: RecommendedItem[] } | { kind: "unknownVideo"; videoId: string };
export type SimilarCreatorsOutcome = { kind: "page"; items: { creatorId: string; similarity: number }[] } | { kind: "unknownCreator"; creatorId: string };

/** "More like this": videos near a video, itself excluded, ranked and diversified like a feed. */
export async function similarVideos(weaviate: WeaviateHandle, videoId: string, first: number, maxPerCreator = 2): Promise<SimilarVideosOutcome> {
  const vector = await vectorByTikTokId(weaviate, "Video", videoId);
  if (!vector) return { kind: "unknownVideo", videoId };
  const hits = await recallVideos(weaviate, vector, { excludeVideoIds: [videoId] });
  const page = applyDiversityQuota(rankedItems(hits), maxPerCreator, first).slice(0, first);
  return { kind: "page", items: noteMoves(page, `diversity quota (max ${maxPerCreator} per creator)`) };
}

/** Creators whose centroid (bio + newest videos) is nearest this creator's, itself excluded. */
export async function similarCreators(weaviate: WeaviateHandle, creatorId: string, first: number): Promise<SimilarCreatorsOutcome> {
  const vector = await vectorByTikTokId(weaviate, "Creator", creatorId);
  if (!vector) return { kind: "unknownCreator", creatorId };
  const hits = await nearCreators(weaviate, vector, creatorId, first);
  return { kind: "page", items: hits.map((h) => ({ creatorId: h.creatorId, similarity: 1 - h.distance })) };
}
