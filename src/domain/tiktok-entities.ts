/** The domain model every source maps to, whatever shape the API used (camelCase or snake_case). */
export interface CreatorProfile {
  id: string;
  username: string;
  nickname: string;
  bio: string;
  region: string;
  verified: boolean;
  privateAccount: boolean;
  followerCount: number;
  followingCount: number;
  heartCount: number;
  videoCount: number;
}

export interface Video {
  id: string;
  title: string;
  hashtags: string[];
  musicTitle: string;
  musicAuthor: string;
  region: string;
  createdAt: Date;
  durationSeconds: number;
  playCount: number;
  likeCount: number;
  commentCount: number;
  shareCount: number;
  collectCount: number;
  isAd: boolean;
  creatorId: string;
  creatorUsername: string;
}

export interface Comment {
  id: string;
  videoId: string;
  text: string;
  createdAt: Date;
  likeCount: number;
  replyCount: number;
  replyToId: string;
  authorId: string;
  authorUsername: string;
}
