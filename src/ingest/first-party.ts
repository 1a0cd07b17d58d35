import { createHash } from "node:crypto";
import { normaliseInterest } from "../domain/cohort-keys.js";
import type { Encoder } from "../embed/encoder.js";
import { inWriteUnit } from "../store/generations/write-gate.js";
import { objectExists } from "../store/entity-reads.js";
import { objectId } from "../store/object-ids.js";
import { putProfile, type UserProfile } from "../store/user-profiles.js";
import type { WeaviateHandle } from "../store/weaviate-handle.js";
import { interestObjects } from "./interests.js";
import { commitWrite, prepareWrite } from "./object-sync.js";
import { commentObject } from "./store-objects.js";

export interface FirstPartyComment {
  userId: string;
  videoId: string;
  text: string;
  /** The app's own id for the comment, so a retried mutation stores it once. */
  clientCommentId?: string;
}

/**
 * The comment's id: from the app's id when it gives one, else from who wrote what where, so a
 * retried recordComment (a lost response, a failover) lands on the same object either way.
 */
export function firstPartyCommentId(c: FirstPartyComment): string {
  const basis = c.clientCommentId
    ? ["client", c.userId, c.clientCommentId]
    : ["content", c.userId, c.videoId, c.text];
  return `app-${createHash("sha256").update(basis.join("\u0000")).digest("hex").slice(0, 32)}`;
}

/**
 * A comment written in our own app: stored and embedded like an ingested one, then the user's
 * two interest objects are rebuilt from everything the store holds for them, so the next
 * recommendation already reflects it. Returns the comment's id and the user's comment count;
 * `duplicate` when the comment was stored already (a retry), in which case nothing is written.
 */
export function recordComment(
  weaviate: WeaviateHandle,
  encoder: Encoder,
  c: FirstPartyComment,
): Promise<{ commentId: string; commentCount: number; duplicate: boolean }> {
  return inWriteUnit(weaviate, () => writeComment(weaviate, encoder, c));
}

async function writeComment(
  weaviate: WeaviateHandle,
  encoder: Encoder,
  c: FirstPartyComment,
): Promise<{ commentId: string; commentCount: number; duplicate: boolean }> {
  const commentId = firstPartyCommentId(c);
  if (await objectExists(weaviate, "Comment", objectId("Comment", commentId))) {
    const known = (await interestObjects(weaviate, [c.userId])).find(
      (o) => o.id === objectId("UserInterest", c.userId),
    );
    return { commentId, commentCount: Number(known?.properties.commentCount ?? 1), duplicate: true };
  }
  const comment = {
    id: commentId,
    videoId: c.videoId,
    text: c.text,
    createdAt: new Date(),
    likeCount: 0,
    replyCount: 0,
    replyToId: "",
    authorId: c.userId,
    authorUsername: c.userId,
  };
  await commitWrite(
    weaviate,
    await prepareWrite(weaviate, encoder, "Comment", [commentObject(comment, encoder.modelId)]),
  );
  const interests = await interestObjects(weaviate, [c.userId]);
  for (const className of ["UserInterest", "UserVideoInterest"]) {
    await commitWrite(
      weaviate,
      await prepareWrite(
        weaviate,
        encoder,
        className,
        interests.filter((o) => o.className === className),
      ),
    );
  }
  const stored = interests.find((o) => o.id === objectId("UserInterest", c.userId));
  return { commentId, commentCount: Number(stored?.properties.commentCount ?? 1), duplicate: false };
}

/** Onboarding answers: kept for cohort bucketing, and their embedding is the user's first signal. */
export async function recordOnboarding(
  weaviate: WeaviateHandle,
  encoder: Encoder,
  answers: Omit<UserProfile, "onboardedAt">,
): Promise<UserProfile> {
  const profile: UserProfile = {
    ...answers,
    country: answers.country.trim().toUpperCase(),
    interests: answers.interests.map(normaliseInterest).filter(Boolean),
    onboardedAt: new Date(),
  };
  await inWriteUnit(weaviate, async () => {
    const [vector] = await encoder.embed([profile.interests.join(", ")]);
    await putProfile(weaviate, profile, Array.from(vector!));
  });
  return profile;
}
