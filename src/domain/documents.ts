import { createHash } from "node:crypto";
import type { CreatorProfile, Video } from "./tiktok-entities.js";

/** The text a video is embedded from: "<title> | music: <music title> | tags: <#tags>". */
export function videoDocument(v: Pick<Video, "title" | "musicTitle" | "hashtags">): string {
  const tags = v.hashtags.map((t) => `#${t}`).join(" ");
  return `${v.title} | music: ${v.musicTitle} | tags: ${tags}`;
}

/** A creator's bio as embedded; the nickname stands in when the bio is empty. */
export function bioDocument(c: Pick<CreatorProfile, "bio" | "nickname" | "username">): string {
  return c.bio || c.nickname || c.username;
}

/** Identifies an embedding: same text and same model means the stored vector is still right. */
export function contentHash(text: string, modelId: string): string {
  return createHash("sha256").update(modelId).update("\0").update(text).digest("hex");
}

/** Identifies everything written for an object, so an unchanged object is not written again. */
export function syncHash(
  properties: Record<string, unknown>,
  references: Record<string, string[]> = {},
): string {
  return createHash("sha256")
    .update(JSON.stringify([properties, references], (_k, v) => (v instanceof Date ? v.toISOString() : v)))
    .digest("hex");
}
