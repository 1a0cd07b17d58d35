import type { z } from "zod";
import type { Logger } from "../../platform/logger.js";
import type { Comment, CreatorProfile, Video } from "../../domain/tiktok-entities.js";
import { toComment, toCreator, toVideo } from "./mapping.js";
import { SourceError, type Endpoint, type TikTokSource } from "./source.js";
import {
  apiComment,
  apiVideo,
  commentsEnvelope,
  postsEnvelope,
  userInfoResponse,
} from "./tiklive.schemas.js";

export type MalformedCounts = Record<Endpoint, number>;

/**
 * Parses a source's raw responses into the domain model. A malformed item is logged with its
 * endpoint and counted, and its siblings go on; a malformed envelope is a SourceError. An id seen
 * twice in one response is counted once: the repeat is skipped, so items seen = kept + skipped.
 */
export class TikTokReader {
  readonly malformed: MalformedCounts = { userinfo: 0, posts: 0, comments: 0 };

  constructor(
    private readonly source: TikTokSource,
    private readonly log: Logger,
  ) {}

  async creator(username: string): Promise<CreatorProfile> {
    const raw = await this.fetch("userinfo", () => this.source.userInfo(username));
    const parsed = userInfoResponse.safeParse(raw);
    if (!parsed.success) throw this.bad("userinfo", username, parsed.error);
    return toCreator(parsed.data);
  }

  async videos(creator: CreatorProfile, count: number): Promise<Video[]> {
    const envelope = postsEnvelope.safeParse(
      await this.fetch("posts", () => this.source.userPosts(creator.id, count)),
    );
    if (!envelope.success) throw this.bad("posts", creator.id, envelope.error);
    const ids = new Set<string>();
    return this.items("posts", envelope.data.videos, apiVideo, toVideo).filter((v) => {
      if (v.creatorId !== creator.id)
        return this.note("posts", `video ${v.id} belongs to ${v.creatorId}, not ${creator.id}`);
      if (ids.has(v.id)) return this.note("posts", `video ${v.id} appears twice in one response`);
      ids.add(v.id);
      return true;
    });
  }

  async comments(video: Video, count: number): Promise<Comment[]> {
    const raw = await this.fetch("comments", () =>
      this.source.postComments({ id: video.id, creatorUsername: video.creatorUsername }, count),
    );
    const envelope = commentsEnvelope.safeParse(raw);
    if (!envelope.success) throw this.bad("comments", video.id, envelope.error);
    const ids = new Set<string>();
    return this.items("comments", envelope.data.comments, apiComment, toComment).filter((c) => {
      if (c.videoId !== video.id)
        return this.note("comments", `comment ${c.id} is on video ${c.videoId}, not ${video.id}`);
      if (ids.has(c.id)) return this.note("comments", `comment ${c.id} appears twice in one response`);
      ids.add(c.id);
      return true;
    });
  }

  /** A response the source could not read as JSON is as malformed as one of the wrong shape. */
  private async fetch(endpoint: Endpoint, call: () => Promise<unknown>): Promise<unknown> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof SourceError && err.kind === "malformed") this.malformed[endpoint]++;
      throw err;
    }
  }

  private items<S extends z.ZodType, T>(
    endpoint: Endpoint,
    raw: unknown[],
    schema: S,
    map: (v: z.infer<S>) => T,
  ): T[] {
    const out: T[] = [];
    raw.forEach((item, index) => {
      const parsed = schema.safeParse(item);
      if (parsed.success) out.push(map(parsed.data));
      else this.note(endpoint, `item ${index}: ${summary(parsed.error)}`);
    });
    return out;
  }

  /** Counts and logs a skipped item; false, for filters. */
  private note(endpoint: Endpoint, detail: string): false {
    this.malformed[endpoint]++;
    this.log.warn("malformed payload item skipped", { endpoint, detail });
    return false;
  }

  private bad(endpoint: Endpoint, key: string, error: z.ZodError): SourceError {
    this.malformed[endpoint]++;
    return new SourceError(endpoint, `malformed response for ${key}: ${summary(error)}`, "malformed");
  }
}

const summary = (error: z.ZodError) =>
  error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
