import { ErrorCode, ServiceError } from "../../platform/errors.js";
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

/**
 * The largest response either source reads. Real ones are well under 1 MB (the dev dump's largest
 * is 0.5 MB); parsed JSON takes several times its size in memory, so a runaway or hostile body is
 * refused before it is read, not after.
 */
export const MAX_RESPONSE_BYTES = 16 * 2 ** 20;

/** Thrown when a request failed for good (after retries, or not retryable); `kind` says how. */
export class SourceError extends ServiceError {
  constructor(
    readonly endpoint: Endpoint,
    message: string,
    readonly kind: "not_found" | "http" | "network" | "budget" | "malformed" = "http",
  ) {
    super(ErrorCode.SourceFailed, `${endpoint}: ${message}`);
  }
}
