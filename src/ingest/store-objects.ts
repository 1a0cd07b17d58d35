import { objectId } from "../store/object-ids.js";
import type { Comment, CreatorProfile, Video } from "../domain/tiktok-entities.js";
import { bioDocument, contentHash, syncHash, videoDocument } from "../domain/documents.js";
import { detectLanguage } from "./language.js";

/** A store object before embedding: the text its vector comes from, if it has one of its own. */
export interface PendingObject {
  className: string;
  id: string;
  properties: Record<string, unknown> & { syncHash: string };
  references?: Record<string, string[]>;
  text?: string;
  contentHash?: string;
}

function pending(
  className: string,
  tiktokId: string,
  props: Record<string, unknown>,
  text: string | undefined,
  modelId: string,
  references?: Record<string, string[]>,
): PendingObject {
  const hash = text === undefined ? undefined : contentHash(text, modelId);
  const properties = { ...props, ...(hash ? { contentHash: hash } : {}) };
  return {
    className,
    id: objectId(className, tiktokId),
    properties: { ...properties, syncHash: syncHash(properties, references) },
    references,
    text,
    contentHash: hash,
  };
}

export function videoObject(v: Video, creator: CreatorProfile, modelId: string): PendingObject {
  const { id, ...rest } = v;
  return pending(
    "Video",
    id,
    { ...rest, videoId: id, language: detectLanguage(v.title), creatorFollowers: creator.followerCount },
    videoDocument(v),
    modelId,
  );
}

export function commentObject(c: Comment, modelId: string): PendingObject {
  const { id, ...rest } = c;
  return pending(
    "Comment",
    id,
    { ...rest, commentId: id, language: detectLanguage(c.text) },
    c.text,
    modelId,
    { video: [objectId("Video", c.videoId)] },
  );
}

export function bioObject(c: CreatorProfile, modelId: string): PendingObject {
  const text = bioDocument(c);
  return pending("CreatorBio", c.id, { creatorId: c.id, text }, text, modelId);
}

/** The creator's vector is the centroid of its bio and its newest videos (the seed: 30). */
export function creatorObject(c: CreatorProfile, newestVideoIds: string[]): PendingObject {
  const { id, bio, privateAccount: _private, ...rest } = c;
  const refs = { bio: [objectId("CreatorBio", id)], videos: newestVideoIds.map((v) => objectId("Video", v)) };
  return pending(
    "Creator",
    id,
    { ...rest, creatorId: id, bioText: bio, language: detectLanguage(bio) },
    undefined,
    "",
    refs,
  );
}
