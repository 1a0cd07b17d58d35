import type { PropertyTypes } from "./property-types.js";

/** A Video object's properties (weaviate/classes/Video.json). */
export type VideoProps = {
  videoId: string;
  title: string;
  musicTitle: string;
  musicAuthor: string;
  hashtags: string[];
  language: string;
  region: string;
  creatorId: string;
  creatorUsername: string;
  creatorFollowers: number;
  createdAt: Date;
  durationSeconds: number;
  playCount: number;
  likeCount: number;
  commentCount: number;
  shareCount: number;
  collectCount: number;
  isAd: boolean;
  contentHash: string;
  syncHash: string;
};

export const VIDEO_PROPERTIES = {
  videoId: "text",
  title: "text",
  musicTitle: "text",
  musicAuthor: "text",
  hashtags: "text[]",
  language: "text",
  region: "text",
  creatorId: "text",
  creatorUsername: "text",
  creatorFollowers: "int",
  createdAt: "date",
  durationSeconds: "int",
  playCount: "int",
  likeCount: "int",
  commentCount: "int",
  shareCount: "int",
  collectCount: "int",
  isAd: "boolean",
  contentHash: "text",
  syncHash: "text",
} as const satisfies PropertyTypes<VideoProps>;
