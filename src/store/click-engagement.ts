import { collection } from "./collections/typed-collections.js";
import { inWriteUnit } from "./generations/write-gate.js";
import { objectId } from "./object-ids.js";
import { writeObjects } from "./object-writes.js";
import type { WeaviateHandle } from "./weaviate-handle.js";

export interface Click {
  userId: string;
  videoId: string;
}

export interface ClickResult {
  /** Clicks that made a video newly engaged: a new `videos` reference of the user's interest. */
  added: number;
  /** Clicks already recorded (repeats, in this batch or earlier): nothing was written for them. */
  repeated: number;
  /** Clicks on a video the user had commented on: kept as clicks, the reference already existed. */
  alreadyCommented: number;
  /** Users who had no UserVideoInterest (cold start) and got one. */
  createdUsers: string[];
  /** Clicks whose video is not in the store: skipped. */
  unknownVideos: Click[];
}

interface Engagement {
  referenced: Set<string>;
  clicked: string[];
}

/**
 * Clicks count as engagement, like a comment on the video: the video becomes a `videos` reference
 * of the user's UserVideoInterest (so the ref2vec centroid moves toward it, recall excludes it and
 * it counts in creator affinity) and joins `clickedVideoIds`, which interest rebuilds merge back.
 * One call takes a batch for many users; a repeated click writes nothing. Not safe against a
 * concurrent call (or interest rebuild) for the same user: the click list is read, then replaced.
 */
export function recordClicks(handle: WeaviateHandle, clicks: readonly Click[]): Promise<ClickResult> {
  return inWriteUnit(handle, () => writeClicks(handle, clicks));
}

async function writeClicks(handle: WeaviateHandle, clicks: readonly Click[]): Promise<ClickResult> {
  const unique = [...new Map(clicks.map((c) => [`${c.userId}\u0000${c.videoId}`, c])).values()];
  const result: ClickResult = {
    added: 0,
    repeated: clicks.length - unique.length,
    alreadyCommented: 0,
    createdUsers: [],
    unknownVideos: [],
  };
  const known = await storedVideoIds(handle, [...new Set(unique.map((c) => c.videoId))]);
  const engaged = await engagements(handle, [...new Set(unique.map((c) => c.userId))]);
  const newRefs = new Map<string, string[]>();
  const newClicks = new Map<string, string[]>();
  for (const c of unique) {
    if (!known.has(c.videoId)) {
      result.unknownVideos.push(c);
      continue;
    }
    const e = engaged.get(c.userId);
    if (e?.clicked.includes(c.videoId)) {
      result.repeated++;
      continue;
    }
    push(newClicks, c.userId, c.videoId);
    if (e?.referenced.has(c.videoId)) {
      result.alreadyCommented++;
    } else {
      push(newRefs, c.userId, c.videoId);
      result.added++;
    }
  }
  const existing = [...newClicks.keys()].filter((u) => engaged.has(u));
  const cold = [...newClicks.keys()].filter((u) => !engaged.has(u));
  await addVideoRefs(handle, existing, newRefs);
  await updateClicked(handle, existing, engaged, newClicks, newRefs);
  await createInterests(handle, cold, newClicks);
  result.createdUsers = cold;
  return result;
}

/** The clicks each of these users has recorded, oldest first (users without any are absent). */
export async function clickedVideosByUsers(
  handle: WeaviateHandle,
  userIds: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const [userId, e] of await engagements(handle, userIds, false))
    if (e.clicked.length > 0) out.set(userId, e.clicked);
  return out;
}

const push = (m: Map<string, string[]>, k: string, v: string) => m.set(k, [...(m.get(k) ?? []), v]);

// Written outside the ingest sync: no rebuild computes an empty hash, so the next rebuild rewrites it.
const OUTSIDE_SYNC = "";

async function storedVideoIds(handle: WeaviateHandle, videoIds: string[]): Promise<Set<string>> {
  const videos = collection(handle, "Video");
  const out = new Set<string>();
  for (let i = 0; i < videoIds.length; i += 1000) {
    const chunk = videoIds.slice(i, i + 1000);
    const res = await videos.query.fetchObjects({
      filters: videos.filter.byId().containsAny(chunk.map((v) => objectId("Video", v))),
      limit: chunk.length,
      returnProperties: ["videoId"],
    });
    for (const o of res.objects) out.add(o.properties.videoId);
  }
  return out;
}

/** Each user's UserVideoInterest, if any: the videos it references and the clicks it keeps. */
async function engagements(
  handle: WeaviateHandle,
  userIds: readonly string[],
  withRefs = true,
): Promise<Map<string, Engagement>> {
  const interests = collection(handle, "UserVideoInterest");
  const out = new Map<string, Engagement>();
  for (let i = 0; i < userIds.length; i += 1000) {
    const chunk = userIds.slice(i, i + 1000);
    const res = await interests.query.fetchObjects({
      filters: interests.filter.byId().containsAny(chunk.map((u) => objectId("UserVideoInterest", u))),
      limit: chunk.length,
      returnProperties: ["userId", "clickedVideoIds"],
      returnReferences: withRefs ? [{ linkOn: "videos", returnProperties: ["videoId"] }] : undefined,
    });
    for (const o of res.objects) {
      const refs = o.references?.videos?.objects ?? [];
      out.set(o.properties.userId, {
        referenced: new Set(refs.map((r) => String(r.properties.videoId))),
        clicked: o.properties.clickedVideoIds ?? [],
      });
    }
  }
  return out;
}

/** One batch reference request for every user; a refused link is an infrastructure failure. */
async function addVideoRefs(handle: WeaviateHandle, users: string[], refs: Map<string, string[]>) {
  const links = users.flatMap((u) =>
    (refs.get(u) ?? []).map((v) => ({
      fromUuid: objectId("UserVideoInterest", u),
      fromProperty: "videos" as const,
      to: objectId("Video", v),
    })),
  );
  if (links.length === 0) return;
  const res = await collection(handle, "UserVideoInterest").data.referenceAddMany(links);
  if (res.hasErrors) {
    const first = Object.values(res.errors)[0]?.message;
    throw new Error(
      `${Object.keys(res.errors).length} of ${links.length} click references failed (first: ${first})`,
    );
  }
}

/**
 * Persists the click lists. The update also makes Weaviate recompute the centroid, which a batch
 * reference add leaves stale (see store/centroids.ts), so it doubles as the refresh.
 */
async function updateClicked(
  handle: WeaviateHandle,
  users: string[],
  engaged: Map<string, Engagement>,
  clicks: Map<string, string[]>,
  refs: Map<string, string[]>,
  concurrency = 8,
) {
  const interests = collection(handle, "UserVideoInterest");
  const queue = [...users];
  const worker = async () => {
    for (let u = queue.pop(); u !== undefined; u = queue.pop()) {
      const e = engaged.get(u)!;
      await interests.data.update({
        id: objectId("UserVideoInterest", u),
        properties: {
          clickedVideoIds: [...e.clicked, ...clicks.get(u)!],
          videoCount: e.referenced.size + (refs.get(u)?.length ?? 0),
          refreshedAt: new Date(),
          syncHash: OUTSIDE_SYNC,
        },
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
}

/** Cold users: a UserVideoInterest made of their clicks alone. */
async function createInterests(handle: WeaviateHandle, users: string[], clicks: Map<string, string[]>) {
  if (users.length === 0) return;
  const objects = users.map((userId) => {
    const clicked = clicks.get(userId)!;
    return {
      id: objectId("UserVideoInterest", userId),
      properties: { userId, videoCount: clicked.length, clickedVideoIds: clicked, syncHash: OUTSIDE_SYNC },
      references: { videos: clicked.map((v) => objectId("Video", v)) },
    };
  });
  const { failed } = await writeObjects(handle, "UserVideoInterest", objects, { centroids: true });
  if (failed.length > 0)
    throw new Error(
      `${failed.length} of ${users.length} new UserVideoInterest objects failed (first: ${failed[0]!.error})`,
    );
}
