import { z } from "zod";

/**
 * The TikLiveAPI's JSON, checked at the edge. Envelopes are parsed first and each item on its
 * own, so one malformed video or comment is counted and skipped without losing its siblings.
 * Ids arrive as strings or numbers; counts as numbers, numeric strings or null.
 */
const id = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);
const count = z
  .union([z.number(), z.string().regex(/^\d+$/), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined ? 0 : Math.max(0, Math.trunc(Number(v)))));
const text = z.string().nullish().transform((v) => v ?? "");
const unixSeconds = z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]);

/** GET /userinfo-by-username/?username= : camelCase, nested user{} and stats{}. */
export const userInfoResponse = z.object({
  user: z.object({
    id,
    uniqueId: z.string().min(1),
    nickname: text,
    signature: text,
    verified: z.boolean().nullish().transform(Boolean),
    region: text,
    privateAccount: z.boolean().nullish().transform(Boolean),
  }),
  stats: z.object({
    followerCount: count,
    followingCount: count,
    heartCount: count,
    videoCount: count,
  }),
});

/** GET /user-posts/?userid=&count= : snake_case, flat, music_info{}; newest first. */
export const postsEnvelope = z.object({ videos: z.array(z.unknown()) });
export const apiVideo = z.object({
  video_id: id,
  title: text,
  region: text,
  create_time: unixSeconds,
  duration: count,
  play_count: count,
  digg_count: count,
  comment_count: count,
  share_count: count,
  collect_count: count,
  is_ad: z.boolean().nullish().transform(Boolean),
  music_info: z.object({ title: text, author: text }).nullish(),
  author: z.object({ id, unique_id: z.string().min(1) }),
});

/** GET /post-comments/?url=&count= : snake_case comments with a nested user{}. */
export const commentsEnvelope = z.object({ comments: z.array(z.unknown()) });
export const apiComment = z.object({
  id,
  video_id: id,
  text: z.string(),
  create_time: unixSeconds,
  digg_count: count,
  reply_total: count,
  reply_to_id: id.nullish(),
  user: z.object({ id, unique_id: text }),
});

export type ApiUserInfo = z.infer<typeof userInfoResponse>;
export type ApiVideo = z.infer<typeof apiVideo>;
export type ApiComment = z.infer<typeof apiComment>;
