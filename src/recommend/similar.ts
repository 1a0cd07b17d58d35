import { recallVideos } from "./recall/recall-videos.js";
import { rerankHead } from "./rerank/rerank-stage.js";
import { applyDiversityQuota } from "./rules/diversity-quota.js";
import { nearCreators } from "../store/creator-search.js";
import { vectorByTikTokId } from "../store/interest-lookup.js";
import { videoDocuments } from "../store/rerank-texts.js";
import type { RecommendDeps } from "./recommend-deps.js";
import type { RecommendedItem } from "../domain/recommended-item.js";
import { rankedItems } from "./rank/ranked-items.js";
import { noteMoves } from "./rules/note-moves.js";

export type SimilarVideosOutcome =
  { kind: "page"; items: RecommendedItem[]; reranked: number } | { kind: "unknownVideo"; videoId: string };
export type SimilarCreatorsOutcome =
  | { kind: "page"; items: { creatorId: string; similarity: number }[] }
  | { kind: "unknownCreator"; creatorId: string };

/**
 * "More like this": videos near a video, itself excluded, ranked, reranked against the video's
 * own document on the affordable head, and diversified like a feed.
 */
export async function similarVideos(
  deps: RecommendDeps,
  videoId: string,
  first: number,
  maxPerCreator = 2,
): Promise<SimilarVideosOutcome> {
  const { weaviate } = deps;
  const vector = await vectorByTikTokId(weaviate, "Video", videoId);
  if (!vector) return { kind: "unknownVideo", videoId };
  const hits = await recallVideos(weaviate, vector, { excludeVideoIds: [videoId] });
  const seedText = async () => (await videoDocuments(weaviate, [videoId])).get(videoId) ?? "";
  // The learned ranker is fitted on users' futures; "more like this" keeps the fixed blend.
  const ranked = await rankedItems(hits);
  const { items, reranked } = deps.rerank
    ? await rerankHead(
        ranked,
        seedText,
        (ids) => videoDocuments(weaviate, ids),
        deps.rerank.queue,
        deps.rerank.settings,
        deps.rerank.cache,
      )
    : { items: ranked, reranked: 0 };
  const page = applyDiversityQuota(items, maxPerCreator, first).slice(0, first);
  return {
    kind: "page",
    items: noteMoves(page, `diversity quota (max ${maxPerCreator} per creator)`),
    reranked,
  };
}

/** Creators whose centroid (bio + newest videos) is nearest this creator's, itself excluded. */
export async function similarCreators(
  deps: RecommendDeps,
  creatorId: string,
  first: number,
): Promise<SimilarCreatorsOutcome> {
  const vector = await vectorByTikTokId(deps.weaviate, "Creator", creatorId);
  if (!vector) return { kind: "unknownCreator", creatorId };
  const hits = await nearCreators(deps.weaviate, vector, creatorId, first);
  return { kind: "page", items: hits.map((h) => ({ creatorId: h.creatorId, similarity: 1 - h.distance })) };
}
