import type { CrossReference } from "weaviate-client";
import type { CreatorBioProps } from "./creator-bio.props.js";
import type { PropertyTypes } from "./property-types.js";
import type { VideoProps } from "./video.props.js";

/**
 * A Creator object's properties (weaviate/classes/Creator.json). Ingestion writes every one but
 * `refreshedAt`, which the centroid refresh sets right after; its vector averages `bio` and `videos`.
 */
export type CreatorProps = {
  creatorId: string;
  username: string;
  nickname: string;
  bioText: string;
  region: string;
  language: string;
  verified: boolean;
  followerCount: number;
  followingCount: number;
  heartCount: number;
  videoCount: number;
  refreshedAt?: Date;
  syncHash: string;
  bio: CrossReference<CreatorBioProps>;
  videos: CrossReference<VideoProps>;
};

export const CREATOR_PROPERTIES = {
  creatorId: "text",
  username: "text",
  nickname: "text",
  bioText: "text",
  region: "text",
  language: "text",
  verified: "boolean",
  followerCount: "int",
  followingCount: "int",
  heartCount: "int",
  videoCount: "int",
  refreshedAt: "date",
  syncHash: "text",
  bio: "CreatorBio",
  videos: "Video",
} as const satisfies PropertyTypes<CreatorProps>;
