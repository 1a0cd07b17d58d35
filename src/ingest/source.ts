/**
 * Where TikTok data comes from: the live TikLiveAPI or a dump folder of its responses. A source
 * returns the raw JSON of one response; TikTokReader parses and maps it, the same way for both.
 */
export interface TikTokSource {
  readonly name: string;
  userInfo(username: string): Promise<unknown>;
  userPosts(userId: string, count: number): Promise<unknown>;
  postComments(video: { id: string; creatorUsername: string }, count: number): Promise<unknown>;
}

export type Endpoint = "userinfo" | "posts" | "comments";

/** A request that failed for good (after retries, or not retryable). */
export class SourceError extends Error {
  constructor(
    readonly endpoint: Endpoint,
    message: string,
    readonly kind: "not_found" | "http" | "network" | "budget" | "malformed" = "http",
  ) {
    super(`${endpoint}: ${message}`);
    this.name = "SourceError";
  }
}
