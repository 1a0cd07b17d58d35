import { Filters, type FilterValue } from "weaviate-client";
import type { WeaviateHandle } from "./weaviate-handle.js";

/** Every recall filter, applied inside Weaviate so a page is never short or leaky. */
export interface VideoFilters {
  languages?: string[];
  minCreatorFollowers?: number;
  createdAfter?: Date;
  excludeVideoIds?: string[];
  excludeCreatorIds?: string[];
  excludeHashtags?: string[];
  /** Only these videos (the evaluation scores a fixed candidate set through the served path). */
  onlyVideoIds?: string[];
}

export interface VideoHit {
  uuid: string;
  distance: number;
  videoId: string;
  creatorId: string;
  createdAt: Date;
  playCount: number;
  commentCount: number;
  /** Detected language of the video's text ("und" when unknown). */
  language: string;
  /** The video's vector, for the per-interest features; recall returns it, other reads do not. */
  vector?: number[];
}

/** Only what ranking reads: every property costs on all 200 candidates (`npm run bench`). */
const HIT_PROPERTIES = ["videoId", "creatorId", "createdAt", "playCount", "commentCount", "language"];

export function videoFilter(handle: WeaviateHandle, f: VideoFilters): FilterValue | undefined {
  const videos = handle.client.collections.get("Video");
  const parts: FilterValue[] = [];
  const prop = (name: string) => videos.filter.byProperty(name as never);
  if (f.languages?.length) parts.push(prop("language").containsAny(f.languages as never));
  if (f.minCreatorFollowers) parts.push(prop("creatorFollowers").greaterOrEqual(f.minCreatorFollowers as never));
  if (f.createdAfter) parts.push(prop("createdAt").greaterOrEqual(f.createdAfter as never));
  if (f.onlyVideoIds) parts.push(prop("videoId").containsAny((f.onlyVideoIds.length ? f.onlyVideoIds : ["\u0000none"]) as never));
  if (f.excludeVideoIds?.length) parts.push(prop("videoId").containsNone(f.excludeVideoIds as never));
  if (f.excludeCreatorIds?.length) parts.push(prop("creatorId").containsNone(f.excludeCreatorIds as never));
  if (f.excludeHashtags?.length) parts.push(prop("hashtags").containsNone(f.excludeHashtags as never));
  return parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : Filters.and(...parts);
}

/** Nearest videos to a vector, with the few properties ranking needs (and their vectors when asked); distances are cosine. */
export async function nearVideos(handle: WeaviateHandle, vector: number[], filters: VideoFilters, limit: number, withVectors = false): Promise<VideoHit[]> {
  const res = await handle.client.collections.get("Video").query.nearVector(vector, {
    limit,
    filters: videoFilter(handle, filters),
    returnMetadata: ["distance"],
    returnProperties: HIT_PROPERTIES as never,
    includeVector: withVectors,
  });
  return res.objects.map((o) => ({ ...toHit(o.uuid, o.metadata?.distance ?? 1, o.properties as Record<string, unknown>), vector: (o.vectors as Record<string, number[]> | undefined)?.default }));
}

function toHit(uuid: string, distance: number, p: Record<string, unknown>): VideoHit {
  return {
    uuid,
    distance,
    videoId: String(p.videoId),
    creatorId: String(p.creatorId),
    createdAt: new Date(p.createdAt as string),
    playCount: Number(p.playCount ?? 0),
    commentCount: Number(p.commentCount ?? 0),
    language: String(p.language ?? "und"),
  };
}

/** Which of these videos pass the filters (for sponsored slots, which must obey the user's filters too). */
export async function videosPassing(handle: WeaviateHandle, videoIds: string[], filters: VideoFilters): Promise<VideoHit[]> {
  if (videoIds.length === 0) return [];
  const videos = handle.client.collections.get("Video");
  const byId = videos.filter.byProperty("videoId" as never).containsAny(videoIds as never);
  const rest = videoFilter(handle, filters);
  const res = await videos.query.fetchObjects({ filters: rest ? Filters.and(byId, rest) : byId, limit: videoIds.length, returnProperties: HIT_PROPERTIES as never });
  return res.objects.map((o) => toHit(o.uuid, 1, o.properties as Record<string, unknown>));
}

/**
 * The last resort of the cold-start chain: the newest videos that pass the filters, as
 * candidates with no content signal (distance 1); ranking then orders them by popularity and
 * freshness.
 */
export async function freshVideos(handle: WeaviateHandle, filters: VideoFilters, limit: number): Promise<VideoHit[]> {
  const videos = handle.client.collections.get("Video");
  const res = await videos.query.fetchObjects({ filters: videoFilter(handle, filters), sort: videos.sort.byProperty("createdAt" as never, false), limit, returnProperties: HIT_PROPERTIES as never });
  return res.objects.map((o) => toHit(o.uuid, 1, o.properties as Record<string, unknown>));
}
