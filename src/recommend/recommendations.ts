import { interestQuery, recallVideos } from "../recall/recall-videos.js";
import { applyDiversityQuota } from "../rules/diversity-quota.js";
import { userInterest } from "../store/interest-lookup.js";
import type { VideoFilters } from "../store/video-search.js";
import type { WeaviateHandle } from "../store/weaviate-connection.js";
import { noteMoves, rankedItems, type RecommendedItem } from "./ranked-items.js";

export type { RecommendedItem };

export interface RecommendationRequest {
  userId: string;
  first: number;
  filters: Omit<VideoFilters, "excludeVideoIds">;
  maxPerCreator: number;
}

export type RecommendationOutcome =
  | { kind: "page"; items: RecommendedItem[]; recalled: number; source: "personal" }
  | { kind: "unknownUser"; userId: string }
  | { kind: "notEnoughSignal"; userId: string; commentCount: number };

/** recommendations(user): interest -> recall (seen videos excluded in Weaviate) -> rank -> rules. */
export async function recommendForUser(weaviate: WeaviateHandle, req: RecommendationRequest): Promise<RecommendationOutcome> {
  const interest = await userInterest(weaviate, req.userId);
  if (!interest) return { kind: "unknownUser", userId: req.userId };
  const query = interestQuery(interest.videoVector, interest.commentVector);
  if (!query) return { kind: "notEnoughSignal", userId: req.userId, commentCount: interest.commentCount };
  const hits = await recallVideos(weaviate, query, { ...req.filters, excludeVideoIds: interest.commentedVideoIds });
  const ranked = rankedItems(hits, interest.creatorAffinity);
  const page = noteMoves(applyDiversityQuota(ranked, req.maxPerCreator, req.first).slice(0, req.first), `diversity quota (max ${req.maxPerCreator} per creator)`);
  return { kind: "page", items: page, recalled: hits.length, source: "personal" };
}
