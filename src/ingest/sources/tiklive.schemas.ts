import { z } from "zod";

/**
 * The TikLiveAPI's JSON, checked at the edge. Envelopes are parsed first and each item on its
 * own, so one malformed video or comment is counted and skipped without losing its siblings.
 * Ids arrive as strings or numbers; counts as numbers, numeric strings or null. Values no real
 * response carries are rejected rather than stored: ids outside [A-Za-z0-9_.-]{1,64} (they name
 * files and URLs), counts beyond 2^53, times before 1970 or after 9999 (Weaviate's dates are
 * RFC 3339). Negative counts are read as 0.
 */
const id = z
  .union([z.string().regex(/^[\w.-]{1,64}$/, "not a TikTok id"), z.number().int().nonnegative()])
  .transform(String);
const count = z
  .union([z.number().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d{1,15}$/), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined ? 0 : Math.max(0, Math.trunc(Number(v)))));
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? "");
const LAST_RFC3339_SECOND = 253_402_300_799; // 9999-12-31T23:59:59Z
const unixSeconds = z
  .union([
    z.number().int(),
    z
      .string()
      .regex(/^\d{1,12}$/)
      .transform(Number),
  ])
  .pipe(z.number().int().positive().max(LAST_RFC3339_SECOND));

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
