import { nearVideos, type VideoFilters, type VideoHit } from "../../store/video-search.js";
import type { WeaviateHandle } from "../../store/weaviate-handle.js";

export const DEFAULT_RECALL_K = 200;

/** Recall: the K videos nearest the query vector, every filter pushed down into Weaviate. */
export function recallVideos(
  weaviate: WeaviateHandle,
  query: number[],
  filters: VideoFilters,
  k = DEFAULT_RECALL_K,
  opts: { vectors?: boolean } = {},
): Promise<VideoHit[]> {
  return nearVideos(weaviate, query, filters, k, opts.vectors ?? false);
}

/**
 * The query vector for a user: the engaged-videos centroid, which our data favours, blended with
 * the comment centroid (the seed's interest). Either alone when the other is missing.
 */
export function interestQuery(
  videoVector: number[] | undefined,
  commentVector: number[] | undefined,
  videoWeight = 0.7,
): number[] | undefined {
  if (!videoVector) return commentVector;
  if (!commentVector) return videoVector;
  const blended = videoVector.map((v, i) => videoWeight * v + (1 - videoWeight) * commentVector[i]!);
  const norm = Math.hypot(...blended);
  return norm > 0 ? blended.map((v) => v / norm) : videoVector;
}
