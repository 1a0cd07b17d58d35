import { interestQuery, recallVideos } from "../recall/recall-videos.js";
import { applyDiversityQuota } from "../rules/diversity-quota.js";
import { applySponsoredSlots } from "../rules/sponsored-slots.js";
import { listCuration, type CurationEntry } from "../store/curation.js";
import { userInterest } from "../store/interest-lookup.js";
import { videosPassing, type VideoFilters } from "../store/video-search.js";
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

/**
 * recommendations(user): interest -> recall (seen and blocked videos, creators and hashtags
 * excluded inside Weaviate) -> rank -> diversity quota -> sponsored slots that pass the same filters.
 */
export async function recommendForUser(weaviate: WeaviateHandle, req: RecommendationRequest): Promise<RecommendationOutcome> {
  const [interest, curation] = await Promise.all([userInterest(weaviate, req.userId), listCuration(weaviate)]);
  if (!interest) return { kind: "unknownUser", userId: req.userId };
  const query = interestQuery(interest.videoVector, interest.commentVector);
  if (!query) return { kind: "notEnoughSignal", userId: req.userId, commentCount: interest.commentCount };
  const filters = withBlocklists({ ...req.filters, excludeVideoIds: interest.commentedVideoIds }, curation);
  const hits = await recallVideos(weaviate, query, filters);
  const ranked = rankedItems(hits, interest.creatorAffinity);
  const organic = noteMoves(applyDiversityQuota(ranked, req.maxPerCreator, req.first), `diversity quota (max ${req.maxPerCreator} per creator)`);
  const page = await withSponsoredSlots(weaviate, organic, curation, filters);
  return { kind: "page", items: page.slice(0, req.first), recalled: hits.length, source: "personal" };
}

function withBlocklists(filters: VideoFilters, curation: CurationEntry[]): VideoFilters {
  const values = (kind: CurationEntry["kind"]) => curation.filter((c) => c.kind === kind).map((c) => c.value);
  return {
    ...filters,
    excludeVideoIds: [...(filters.excludeVideoIds ?? []), ...values("blockVideo")],
    excludeCreatorIds: [...(filters.excludeCreatorIds ?? []), ...values("blockCreator")],
    excludeHashtags: [...(filters.excludeHashtags ?? []), ...values("blockHashtag")],
  };
}

async function withSponsoredSlots(weaviate: WeaviateHandle, organic: RecommendedItem[], curation: CurationEntry[], filters: VideoFilters): Promise<RecommendedItem[]> {
  const sponsored = curation.filter((c) => c.kind === "sponsored");
  const eligible = await videosPassing(weaviate, sponsored.map((s) => s.value), filters);
  const slots = eligible.map((hit) => {
    const position = sponsored.find((s) => s.value === hit.videoId)!.position;
    const item: RecommendedItem = { videoId: hit.videoId, creatorId: hit.creatorId, score: 0, similarity: 0, signals: { content: 0, affinity: 0, popularity: 0, freshness: 0 }, rankedPosition: 0, rules: [`sponsored slot at position ${position + 1}`], sponsored: true };
    return { position, item };
  });
  return applySponsoredSlots(organic, slots);
}
