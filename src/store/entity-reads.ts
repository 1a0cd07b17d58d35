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

/** Loads objects of a class by one id property, one Weaviate call per 1,000 ids. */
async function byIds(handle: WeaviateHandle, className: string, idProp: string, ids: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
  const collection = handle.client.collections.get(className);
  const out = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    const res = await collection.query.fetchObjects({ filters: collection.filter.byProperty(idProp as never).containsAny(chunk as never), limit: chunk.length });
    for (const o of res.objects) out.set(String((o.properties as Record<string, unknown>)[idProp]), o.properties as Record<string, unknown>);
  }
  return out;
}

export async function videosByIds(handle: WeaviateHandle, ids: readonly string[]): Promise<Map<string, VideoRecord>> {
  const found = await byIds(handle, "Video", "videoId", ids);
  return new Map(
    [...found].map(([id, p]) => [
      id,
      {
        videoId: id,
        title: String(p.title ?? ""),
        hashtags: (p.hashtags as string[] | undefined) ?? [],
        musicTitle: String(p.musicTitle ?? ""),
        musicAuthor: String(p.musicAuthor ?? ""),
        language: String(p.language ?? "und"),
        creatorId: String(p.creatorId),
        createdAt: new Date(p.createdAt as string),
        durationSeconds: Number(p.durationSeconds ?? 0),
        playCount: Number(p.playCount ?? 0),
        likeCount: Number(p.likeCount ?? 0),
        commentCount: Number(p.commentCount ?? 0),
        shareCount: Number(p.shareCount ?? 0),
      },
    ]),
  );
}

export async function creatorsByIds(handle: WeaviateHandle, ids: readonly string[]): Promise<Map<string, CreatorRecord>> {
  const found = await byIds(handle, "Creator", "creatorId", ids);
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
