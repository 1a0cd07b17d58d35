import { clickedVideosByUsers } from "../store/click-engagement.js";
import { commentsByAuthors, type AuthoredComment } from "../store/comment-queries.js";
import { objectId } from "../store/object-ids.js";
import { syncHash } from "../domain/documents.js";
import type { PendingObject } from "./store-objects.js";

/** The seed's window: the last 100 comments make the interest; fewer is noisy, more averages it away. */
export const INTEREST_WINDOW = 100;

/**
 * Interest objects for these users, from what the store holds (so comments from earlier runs and
 * other creators count): the centroid of the last 100 comments, and of the videos they were on
 * plus every video they clicked in our app (clicks live only on the interest object, so they are
 * read back from it and kept).
 */
export async function interestObjects(
  weaviate: Parameters<typeof commentsByAuthors>[0],
  userIds: string[],
): Promise<PendingObject[]> {
  const byUser = new Map<string, AuthoredComment[]>();
  for (const c of await commentsByAuthors(weaviate, userIds)) {
    const list = byUser.get(c.authorId) ?? [];
    list.push(c);
    byUser.set(c.authorId, list);
  }
  const clicks = await clickedVideosByUsers(weaviate, userIds);
  const out: PendingObject[] = [];
  for (const [userId, comments] of byUser) {
    comments.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || a.id.localeCompare(b.id));
    const recent = comments.slice(0, INTEREST_WINDOW);
    const clicked = clicks.get(userId) ?? [];
    const commented = [...new Set(comments.map((c) => c.videoId))].slice(0, INTEREST_WINDOW);
    const videoIds = [...new Set([...commented, ...clicked])];
    const commentRefs = { comments: recent.map((c) => c.id) };
    const interest = {
      userId,
      username: recent[0]!.authorUsername,
      commentCount: recent.length,
      lastActiveAt: recent[0]!.createdAt,
    };
    out.push({
      className: "UserInterest",
      id: objectId("UserInterest", userId),
      properties: { ...interest, syncHash: syncHash(interest, commentRefs) },
      references: commentRefs,
    });
    const videoRefs = { videos: videoIds.map((v) => objectId("Video", v)) };
    // Users without clicks keep the exact object (and sync hash) they had before clicks existed.
    const engaged = {
      userId,
      videoCount: videoIds.length,
      ...(clicked.length > 0 ? { clickedVideoIds: clicked } : {}),
    };
    out.push({
      className: "UserVideoInterest",
      id: objectId("UserVideoInterest", userId),
      properties: { ...engaged, syncHash: syncHash(engaged, videoRefs) },
      references: videoRefs,
    });
  }
  return out;
}
