import { Filters, type FilterValue } from "weaviate-client";
import { collection } from "./collections/typed-collections.js";
import type { VideoProps } from "./collections/video.props.js";
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

type HitProperty = "videoId" | "creatorId" | "createdAt" | "playCount" | "commentCount" | "language";

/** Only what ranking reads: every property costs on all 200 candidates (`npm run bench`). */
const HIT_PROPERTIES: HitProperty[] = [
  "videoId",
  "creatorId",
  "createdAt",
  "playCount",
  "commentCount",
  "language",
];

export function videoFilter(handle: WeaviateHandle, f: VideoFilters): FilterValue | undefined {
  return buildVideoFilter(videoCollection(handle).filter, f);
}

type VideoCollection = ReturnType<typeof collection<"Video">>;
type VideoFilterBuilder = VideoCollection["filter"];

const videoCollections = new WeakMap<WeaviateHandle["client"], VideoCollection>();

/**
 * The Video collection of this client, made once: `collections.get` through our client's layers
 * (failover, consistency, counting) costs ~1.3 ms on the first query of each new collection
 * (bench:recall, "collections.get per call"), a tenth of a recall. Reusing it changes nothing
 * else: the failover layer picks the node on each call, and the counting layer counts each call.
 */
function videoCollection(handle: WeaviateHandle): VideoCollection {
  let found = videoCollections.get(handle.client);
  if (!found) videoCollections.set(handle.client, (found = collection(handle, "Video")));
  return found;
}

function buildVideoFilter(filter: VideoFilterBuilder, f: VideoFilters): FilterValue | undefined {
  const parts: FilterValue[] = [];
  if (f.languages?.length) parts.push(filter.byProperty("language").containsAny(f.languages));
  if (f.minCreatorFollowers)
    parts.push(filter.byProperty("creatorFollowers").greaterOrEqual(f.minCreatorFollowers));
  if (f.createdAfter) parts.push(filter.byProperty("createdAt").greaterOrEqual(f.createdAfter));
  if (f.onlyVideoIds)
    parts.push(
      filter.byProperty("videoId").containsAny(f.onlyVideoIds.length ? f.onlyVideoIds : ["\u0000none"]),
    );
  if (f.excludeVideoIds?.length) parts.push(filter.byProperty("videoId").containsNone(f.excludeVideoIds));
  if (f.excludeCreatorIds?.length)
    parts.push(filter.byProperty("creatorId").containsNone(f.excludeCreatorIds));
  if (f.excludeHashtags?.length) parts.push(filter.byProperty("hashtags").containsNone(f.excludeHashtags));
  return parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : Filters.and(...parts);
}

/**
 * Nearest videos to a vector, with the few properties ranking needs (and their vectors when asked);
 * distances are cosine. One collection made once for the filter and the query, and one plain
 * object per hit. What remains beyond an ids-only nearVector
 * is the six properties themselves, ~0.5 ms each for 200 hits at 5,776 videos (`npm run bench:recall`),
 * most of it inside Weaviate: a fixed cost that the search outgrows as the catalogue grows.
 */
export async function nearVideos(
  handle: WeaviateHandle,
  vector: number[],
  filters: VideoFilters,
  limit: number,
  withVectors = false,
): Promise<VideoHit[]> {
  const videos = videoCollection(handle);
  const res = await videos.query.nearVector(vector, {
    limit,
    filters: buildVideoFilter(videos.filter, filters),
    returnMetadata: ["distance"],
    returnProperties: HIT_PROPERTIES,
    includeVector: withVectors,
  });
  const hits = new Array<VideoHit>(res.objects.length);
  for (let i = 0; i < hits.length; i++) {
    const o = res.objects[i]!;
    const hit = toHit(o.uuid, o.metadata?.distance ?? 1, o.properties);
    if (withVectors) hit.vector = (o.vectors as Record<string, number[]> | undefined)?.default;
    hits[i] = hit;
  }
  return hits;
}

function toHit(uuid: string, distance: number, p: Pick<VideoProps, HitProperty>): VideoHit {
  const created = p.createdAt as Date | string;
  return {
    uuid,
    distance,
    videoId: String(p.videoId),
    creatorId: String(p.creatorId),
    // weaviate-client hands dates back as Date objects already: no second parse.
    createdAt: created instanceof Date ? created : new Date(created),
    playCount: Number(p.playCount ?? 0),
    commentCount: Number(p.commentCount ?? 0),
    language: String(p.language ?? "und"),
  };
}

/** Which of these videos pass the filters (for sponsored slots, which must obey the user's filters too). */
export async function videosPassing(
  handle: WeaviateHandle,
  videoIds: string[],
  filters: VideoFilters,
): Promise<VideoHit[]> {
  if (videoIds.length === 0) return [];
  const videos = collection(handle, "Video");
  const byId = videos.filter.byProperty("videoId").containsAny(videoIds);
  const rest = buildVideoFilter(videos.filter, filters);
  const res = await videos.query.fetchObjects({
    filters: rest ? Filters.and(byId, rest) : byId,
    limit: videoIds.length,
    returnProperties: HIT_PROPERTIES,
  });
  return res.objects.map((o) => toHit(o.uuid, 1, o.properties));
}

/**
 * The last resort of the cold-start chain: the newest videos that pass the filters, as
 * candidates with no content signal (distance 1); ranking then orders them by popularity and
 * freshness.
 */
export async function freshVideos(
  handle: WeaviateHandle,
  filters: VideoFilters,
  limit: number,
): Promise<VideoHit[]> {
  const videos = collection(handle, "Video");
  const res = await videos.query.fetchObjects({
    filters: buildVideoFilter(videos.filter, filters),
    sort: videos.sort.byProperty("createdAt", false),
    limit,
    returnProperties: HIT_PROPERTIES,
  });
  return res.objects.map((o) => toHit(o.uuid, 1, o.properties));
}
