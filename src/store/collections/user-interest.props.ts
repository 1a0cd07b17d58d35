import type { CrossReference } from "weaviate-client";
import type { CommentProps } from "./comment.props.js";
import type { PropertyTypes } from "./property-types.js";

/**
 * A UserInterest object's properties (weaviate/classes/UserInterest.json): what a user writes
 * about. `refreshedAt` is set by the centroid refresh after ingestion; the vector averages `comments`.
 */
export type UserInterestProps = {
  userId: string;
  username: string;
  commentCount: number;
  lastActiveAt: Date;
  refreshedAt?: Date;
  syncHash: string;
  comments: CrossReference<CommentProps>;
};

export const USER_INTEREST_PROPERTIES = {
  userId: "text",
  username: "text",
  commentCount: "int",
  lastActiveAt: "date",
  refreshedAt: "date",
  syncHash: "text",
  comments: "Comment",
} as const satisfies PropertyTypes<UserInterestProps>;
