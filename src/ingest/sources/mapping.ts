import type { Comment, CreatorProfile, Video } from "../../domain/tiktok-entities.js";
import type { ApiComment, ApiUserInfo, ApiVideo } from "./tiklive.schemas.js";

export function toCreator({ user, stats }: ApiUserInfo): CreatorProfile {
  return {
    id: user.id,
    username: user.uniqueId,
    nickname: user.nickname,
    bio: user.signature.trim(),
    region: user.region,
    verified: user.verified,
    privateAccount: user.privateAccount,
    followerCount: stats.followerCount,
    followingCount: stats.followingCount,
    heartCount: stats.heartCount,
    videoCount: stats.videoCount,
  };
}

export function toVideo(v: ApiVideo): Video {
  return {
    id: v.video_id,
    title: v.title.trim(),
    hashtags: hashtagsOf(v.title),
    musicTitle: v.music_info?.title.trim() ?? "",
    musicAuthor: v.music_info?.author.trim() ?? "",
    region: v.region,
    createdAt: new Date(v.create_time * 1000),
    durationSeconds: v.duration,
    playCount: v.play_count,
    likeCount: v.digg_count,
    commentCount: v.comment_count,
    shareCount: v.share_count,
    collectCount: v.collect_count,
    isAd: v.is_ad,
    creatorId: v.author.id,
    creatorUsername: v.author.unique_id,
  };
}

export function toComment(c: ApiComment): Comment {
  return {
    id: c.id,
    videoId: c.video_id,
    text: c.text.trim(),
    createdAt: new Date(c.create_time * 1000),
    likeCount: c.digg_count,
    replyCount: c.reply_total,
    replyToId: c.reply_to_id ?? "",
    authorId: c.user.id,
    authorUsername: c.user.unique_id,
  };
}

/** Lower-case hashtags without '#', in order of first use, letters/digits/underscore in any script. */
export function hashtagsOf(title: string): string[] {
  const tags = [...title.matchAll(/#([\p{L}\p{N}_]+)/gu)].map((m) => m[1]!.toLowerCase());
  return [...new Set(tags)];
}
