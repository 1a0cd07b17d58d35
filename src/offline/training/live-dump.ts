import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { videoDocument } from "../../domain/documents.js";
import type { Encoder } from "../../embed/encoder.js";
import type { StoreHistory } from "../../store/live-export.js";

/**
 * Writes the live store's history as a TikLiveAPI dump folder (users/, posts/, comments/), the
 * inverse of src/ingest/sources/mapping.ts: the evaluation's time split, catalogue, negatives and
 * past ingestion then run on it unchanged, the same code as `npm run train:ranker` on a dump.
 */
export async function writeHistoryDump(history: StoreHistory, dir: string): Promise<void> {
  for (const sub of ["users", "posts", "comments"]) await mkdir(join(dir, sub), { recursive: true });
  const seconds = (d: Date | string) => Math.floor(new Date(d).getTime() / 1000);
  for (const c of history.creators)
    await writeJson(join(dir, "users", `${c.username}.json`), {
      user: {
        id: c.creatorId,
        uniqueId: c.username,
        nickname: c.nickname,
        signature: c.bioText,
        verified: c.verified,
        region: c.region,
        privateAccount: false,
      },
      stats: {
        followerCount: c.followerCount,
        followingCount: c.followingCount,
        heartCount: c.heartCount,
        videoCount: c.videoCount,
      },
    });
  const posts = new Map<string, unknown[]>();
  for (const v of history.videos) {
    const list = posts.get(v.creatorId) ?? [];
    list.push({
      video_id: v.videoId,
      title: v.title,
      region: v.region,
      create_time: seconds(v.createdAt),
      duration: v.durationSeconds,
      play_count: v.playCount,
      digg_count: v.likeCount,
      comment_count: v.commentCount,
      share_count: v.shareCount,
      collect_count: v.collectCount,
      is_ad: v.isAd,
      music_info: { title: v.musicTitle, author: v.musicAuthor },
      author: { id: v.creatorId, unique_id: v.creatorUsername },
    });
    posts.set(v.creatorId, list);
  }
  for (const c of history.creators)
    await writeJson(join(dir, "posts", `${c.creatorId}.json`), { videos: posts.get(c.creatorId) ?? [] });
  const comments = new Map<string, unknown[]>();
  for (const c of history.comments) {
    const list = comments.get(c.videoId) ?? [];
    list.push({
      id: c.commentId,
      video_id: c.videoId,
      text: c.text,
      create_time: seconds(c.createdAt),
      digg_count: c.likeCount,
      reply_total: c.replyCount,
      reply_to_id: c.replyToId || null,
      user: { id: c.authorId, unique_id: c.authorUsername },
    });
    comments.set(c.videoId, list);
  }
  for (const [videoId, list] of comments)
    await writeJson(join(dir, "comments", `${videoId}.json`), { comments: list });
}

const writeJson = (path: string, body: unknown) => writeFile(path, JSON.stringify(body));

/**
 * An encoder that answers with the vectors the live store already holds for each text (a video's
 * document, a bio, a comment), so replaying the history into a scratch store embeds nothing: the
 * same text under the same model has the same vector. A text the store has no vector for goes to
 * `fallback` (the serving encoder); without one it is an error.
 */
export function storedVectorEncoder(history: StoreHistory, modelId: string, fallback?: Encoder): Encoder {
  const known = new Map<string, Float32Array>();
  for (const v of history.videos) if (v.vector) known.set(videoDocument(v), v.vector);
  for (const b of history.bios.values()) if (b.vector) known.set(b.text, b.vector);
  for (const c of history.comments) if (c.vector) known.set(c.text, c.vector);
  const dim = known.values().next().value?.length ?? fallback?.dim ?? 384;
  return {
    modelId,
    provider: "cpu",
    providerReason: "vectors read from the live store, nothing embedded",
    dim,
    countTokens: (text) => fallback?.countTokens(text) ?? text.split(/\s+/).length + 2,
    async embed(texts) {
      const missing = texts.filter((t) => !known.has(t));
      if (missing.length > 0 && !fallback)
        throw new Error(
          `${missing.length} texts have no stored vector (first ${JSON.stringify(missing[0]!.slice(0, 60))}): re-ingest, or train with the serving encoder as fallback`,
        );
      const fresh = missing.length > 0 ? await fallback!.embed(missing) : [];
      const embedded = new Map(missing.map((t, i) => [t, fresh[i]!]));
      return texts.map((t) => embedded.get(t) ?? known.get(t)!);
    },
    dispose: async () => {},
  };
}
