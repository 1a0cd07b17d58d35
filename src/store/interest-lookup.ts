import { collection, ourClass } from "./collections/typed-collections.js";
import { objectId } from "./object-ids.js";
import type { WeaviateHandle } from "./weaviate-handle.js";

export interface UserInterestVectors {
  userId: string;
  /** Centroid of the user's last 100 comments. */
  commentVector?: number[];
  /** Centroid of the videos the user commented on. */
  videoVector?: number[];
  /** TikTok ids of the videos the user commented on (seen: never recommended again). */
  commentedVideoIds: string[];
  /** Share of the user's commented videos per creator id: the creator-affinity signal. */
  creatorAffinity: Map<string, number>;
  commentCount: number;
  /** When the user last commented (the learned ranker measures post times from it). */
  lastActiveAt?: Date;
  /** Vectors of the videos the user commented on (when asked for): the best-single-video feature. */
  engagedVectors: number[][];
  /** Share of the user's commented videos per language: the language-match feature. */
  languageShare: Map<string, number>;
}

const vectorOf = (o: { vectors?: Record<string, unknown> } | null | undefined) => {
  const v = o?.vectors?.default as number[] | undefined;
  return v && v.length > 0 ? v : undefined;
};

const lastActive = (p: { lastActiveAt?: Date } | undefined) =>
  p?.lastActiveAt ? new Date(p.lastActiveAt) : undefined;

/** Both interest vectors of a user and what they already engaged with; undefined for an unknown user. */
export async function userInterest(
  handle: WeaviateHandle,
  userId: string,
  opts: { engagedVectors?: boolean } = {},
): Promise<UserInterestVectors | undefined> {
  const [comments, videos] = await Promise.all([
    collection(handle, "UserInterest").query.fetchObjectById(objectId("UserInterest", userId), {
      includeVector: true,
    }),
    collection(handle, "UserVideoInterest").query.fetchObjectById(objectId("UserVideoInterest", userId), {
      includeVector: true,
      returnReferences: [
        {
          linkOn: "videos",
          returnProperties: ["videoId", "creatorId", "language"],
          includeVector: opts.engagedVectors ?? false,
        },
      ],
    }),
  ]);
  if (!comments && !videos) return undefined;
  const refs = videos?.references?.videos?.objects ?? [];
  const shares = (key: "creatorId" | "language") => {
    const share = new Map<string, number>();
    for (const o of refs)
      share.set(String(o.properties[key]), (share.get(String(o.properties[key])) ?? 0) + 1 / refs.length);
    return share;
  };
  return {
    userId,
    creatorAffinity: shares("creatorId"),
    commentVector: vectorOf(comments),
    videoVector: vectorOf(videos),
    commentedVideoIds: refs.map((o) => String(o.properties.videoId)),
    commentCount: Number(comments?.properties.commentCount ?? 0),
    lastActiveAt: lastActive(comments?.properties),
    engagedVectors: refs.map(vectorOf).filter((v): v is number[] => v !== undefined),
    languageShare: shares("language"),
  };
}

/** The stored vector of one object by its TikTok id (Creator, Video...), or undefined. */
export async function vectorByTikTokId(
  handle: WeaviateHandle,
  className: string,
  tiktokId: string,
): Promise<number[] | undefined> {
  return vectorOf(
    await collection(handle, ourClass(className)).query.fetchObjectById(objectId(className, tiktokId), {
      includeVector: true,
    }),
  );
}

/** Interest vectors and comment counts of many users at once (the cohort job), by user id. */
export async function interestsByUsers(
  handle: WeaviateHandle,
  userIds: string[],
): Promise<Map<string, { commentVector?: number[]; videoVector?: number[]; commentCount: number }>> {
  const out = new Map<string, { commentVector?: number[]; videoVector?: number[]; commentCount: number }>();
  for (let i = 0; i < userIds.length; i += 1000) {
    const chunk = userIds.slice(i, i + 1000);
    const interests = collection(handle, "UserInterest");
    const videoInterests = collection(handle, "UserVideoInterest");
    const [comments, videos] = await Promise.all([
      interests.query.fetchObjects({
        filters: interests.filter.byProperty("userId").containsAny(chunk),
        limit: chunk.length,
        includeVector: true,
      }),
      videoInterests.query.fetchObjects({
        filters: videoInterests.filter.byProperty("userId").containsAny(chunk),
        limit: chunk.length,
        includeVector: true,
      }),
    ]);
    const entry = (id: string) => out.get(id) ?? (out.set(id, { commentCount: 0 }), out.get(id)!);
    for (const o of comments.objects) {
      const e = entry(String(o.properties.userId));
      e.commentVector = vectorOf(o);
      e.commentCount = Number(o.properties.commentCount ?? 0);
    }
    for (const o of videos.objects) entry(String(o.properties.userId)).videoVector = vectorOf(o);
  }
  return out;
}
