import { existsSync, readdirSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { MAX_RESPONSE_BYTES, SourceError, type Endpoint, type TikTokSource } from "./source.js";

/**
 * A folder of recorded TikLiveAPI responses: users/<username>.json, posts/<userid>.json,
 * comments/<video_id>.json. Responses replay as recorded, so `count` is not applied. A video
 * without a comments file has no recorded comments.
 */
export function createDumpSource(dir: string): TikTokSource & { usernames(): string[] } {
  for (const sub of ["users", "posts"]) {
    if (!existsSync(join(dir, sub))) throw new Error(`${dir} is not a TikLiveAPI dump: ${sub}/ is missing`);
  }
  const safe = (name: string) => /^[\w.-]+$/.test(name) && !name.startsWith(".");

  async function read(endpoint: Endpoint, sub: string, name: string, missing: unknown): Promise<unknown> {
    if (!safe(name))
      throw new SourceError(endpoint, `refusing file name ${JSON.stringify(name)}`, "not_found");
    const path = join(dir, sub, `${name}.json`);
    let text: string;
    try {
      const { size } = await stat(path);
      if (size > MAX_RESPONSE_BYTES)
        throw new SourceError(
          endpoint,
          `${path} is ${size} bytes, over the ${MAX_RESPONSE_BYTES}-byte limit`,
          "malformed",
        );
      text = await readFile(path, "utf8");
    } catch (err) {
      if (err instanceof SourceError) throw err;
      if (missing !== undefined) return missing;
      throw new SourceError(endpoint, `${path} does not exist`, "not_found");
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new SourceError(endpoint, `${path} is not valid JSON`, "malformed");
    }
  }

  return {
    name: `dump ${dir}`,
    usernames: () =>
      readdirSync(join(dir, "users"))
        .filter((f) => f.endsWith(".json"))
        .map((f) => f.slice(0, -5))
        .sort(),
    userInfo: (username) => read("userinfo", "users", username, undefined),
    userPosts: (userId) => read("posts", "posts", userId, undefined),
    postComments: (video) => read("comments", "comments", video.id, { comments: [] }),
  };
}
