import { collection } from "./collections/typed-collections.js";
import type { WeaviateHandle } from "./weaviate-handle.js";

export interface VideoRecord {
  videoId: string;
  title: string;
  hashtags: string[];
  musicTitle: string;
  musicAuthor: string;
  language: string;
  creatorId: string;
  createdAt: Date;
  durationSeconds: number;
  playCount: number;
  likeCount: number;
  commentCount: number;
  shareCount: number;
}

export interface CreatorRecord {
  creatorId: string;
  username: string;
  nickname: string;
  bio: string;
  region: string;
  verified: boolean;
  followerCount: number;
  videoCount: number;
}

/**
 * Loads objects by one id property, one Weaviate call per 1,000 ids: `fetch` asks for the objects
 * whose id property is among a chunk, `idOf` reads it back.
 */
async function byIds<P>(
  ids: readonly string[],
  fetch: (chunk: string[]) => Promise<{ objects: { properties: P }[] }>,
  idOf: (p: P) => string,
): Promise<Map<string, P>> {
  const out = new Map<string, P>();
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    const res = await fetch(chunk);
    for (const o of res.objects) out.set(String(idOf(o.properties)), o.properties);
  }
  return out;
}

export async function videosByIds(
  handle: WeaviateHandle,
  ids: readonly string[],
): Promise<Map<string, VideoRecord>> {
  const videos = collection(handle, "Video");
  const found = await byIds(
    ids,
    (chunk) =>
      videos.query.fetchObjects({
        filters: videos.filter.byProperty("videoId").containsAny(chunk),
        limit: chunk.length,
      }),
    (p) => p.videoId,
  );
  return new Map(
    [...found].map(([id, p]) => [
      id,
      {
        videoId: id,
        title: String(p.title ?? ""),
        hashtags: p.hashtags ?? [],
        musicTitle: String(p.musicTitle ?? ""),
        musicAuthor: String(p.musicAuthor ?? ""),
        language: String(p.language ?? "und"),
        creatorId: String(p.creatorId),
        createdAt: new Date(p.createdAt),
        durationSeconds: Number(p.durationSeconds ?? 0),
        playCount: Number(p.playCount ?? 0),
        likeCount: Number(p.likeCount ?? 0),
        commentCount: Number(p.commentCount ?? 0),
        shareCount: Number(p.shareCount ?? 0),
      },
    ]),
  );
}

export async function creatorsByIds(
  handle: WeaviateHandle,
  ids: readonly string[],
): Promise<Map<string, CreatorRecord>> {
  const creators = collection(handle, "Creator");
  const found = await byIds(
    ids,
    (chunk) =>
      creators.query.fetchObjects({
        filters: creators.filter.byProperty("creatorId").containsAny(chunk),
        limit: chunk.length,
      }),
    (p) => p.creatorId,
  );
  return new Map(
    [...found].map(([id, p]) => [
      id,
      {
        creatorId: id,
        username: String(p.username ?? ""),
        nickname: String(p.nickname ?? ""),
        bio: String(p.bioText ?? ""),
        region: String(p.region ?? ""),
        verified: Boolean(p.verified),
        followerCount: Number(p.followerCount ?? 0),
        videoCount: Number(p.videoCount ?? 0),
      },
    ]),
  );
}

/** Whether an object of ours exists (by its Weaviate id), read at the configured consistency. */
export async function objectExists(
  handle: WeaviateHandle,
  className: Parameters<typeof collection>[1],
  id: string,
): Promise<boolean> {
  return collection(handle, className).data.exists(id);
}
