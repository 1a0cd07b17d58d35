import type { CrossReference } from "weaviate-client";
import type { PropertyTypes } from "./property-types.js";
import type { VideoProps } from "./video.props.js";

/**
 * A UserVideoInterest object's properties (weaviate/classes/UserVideoInterest.json): the videos a
 * user commented on or clicked. `refreshedAt` is set by the centroid refresh; the vector averages
 * `videos`. `clickedVideoIds` keeps the clicks, which no comment in the store can rebuild.
 */
export type UserVideoInterestProps = {
  userId: string;
  videoCount: number;
  refreshedAt?: Date;
  syncHash: string;
  clickedVideoIds?: string[];
  videos: CrossReference<VideoProps>;
};

export const USER_VIDEO_INTEREST_PROPERTIES = {
  userId: "text",
  videoCount: "int",
  refreshedAt: "date",
  syncHash: "text",
  clickedVideoIds: "text[]",
  videos: "Video",
} as const satisfies PropertyTypes<UserVideoInterestProps>;
