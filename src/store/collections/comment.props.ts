import type { CrossReference } from "weaviate-client";
import type { PropertyTypes } from "./property-types.js";
import type { VideoProps } from "./video.props.js";

/** A Comment object's properties (weaviate/classes/Comment.json); `video` references its Video. */
export type CommentProps = {
  commentId: string;
  text: string;
  videoId: string;
  authorId: string;
  authorUsername: string;
  language: string;
  createdAt: Date;
  likeCount: number;
  replyCount: number;
  /** Empty for a top-level comment. */
  replyToId: string;
  contentHash: string;
  syncHash: string;
  video: CrossReference<VideoProps>;
};

export const COMMENT_PROPERTIES = {
  commentId: "text",
  text: "text",
  videoId: "text",
  authorId: "text",
  authorUsername: "text",
  language: "text",
  createdAt: "date",
  likeCount: "int",
  replyCount: "int",
  replyToId: "text",
  contentHash: "text",
  syncHash: "text",
  video: "Video",
} as const satisfies PropertyTypes<CommentProps>;
