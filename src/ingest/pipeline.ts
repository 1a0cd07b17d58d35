import type { Encoder } from "../embed/encoder.js";
import type { Logger } from "../platform/logger.js";
import type { WriteResult } from "../store/object-writes.js";
import type { WeaviateHandle } from "../store/weaviate-handle.js";
import type { Comment, Video } from "../domain/tiktok-entities.js";
import { emptyCounts, type IngestCounts } from "./ingest-counts.js";
import { interestObjects } from "./interests.js";
import { enterWrites } from "../store/generations/write-gate.js";
import { commitWrite, prepareWrite, type PreparedWrite } from "./object-sync.js";
import { SourceError } from "./sources/source.js";
import { bioObject, commentObject, creatorObject, videoObject, type PendingObject } from "./store-objects.js";
import type { TikTokReader } from "./sources/tiktok-reader.js";

export interface IngestDeps {
  weaviate: WeaviateHandle;
  encoder: Encoder;
  reader: TikTokReader;
  log: Logger;
}

export interface IngestOptions {
  /** Posts asked of the API per creator, and how many newest videos make the creator centroid. */
  postsPerCreator?: number;
  commentsPerVideo?: number;
  /** Videos whose comments are fetched, embedded and written together. */
  videosPerChunk?: number;
  onProgress?: (p: IngestProgress) => void;
}

export interface IngestProgress {
  phase: "creators" | "interests";
  done: number;
  total: number;
  counts: IngestCounts;
}

/**
 * creator -> posts -> comments -> embeddings -> upserts, creator by creator and chunk by chunk so
 * memory stays flat; each chunk's write overlaps the next chunk's fetching and encoding. Interests
 * of every commenter seen are rebuilt at the end from the store. A source failure costs only the
 * creator or video it hit (recorded in counts.errors); a store failure ends the run.
 */
export async function ingestCreators(
  deps: IngestDeps,
  usernames: string[],
  opts: IngestOptions = {},
): Promise<IngestCounts> {
  const counts = emptyCounts();
  const users = new Set<string>();
  let inflight: Promise<void> = Promise.resolve();
  let storeFailure: unknown;
  const settle = async () => {
    await inflight;
    if (storeFailure) throw storeFailure;
  };
  // Each prepare and its commit are one write unit of the generation gate (write-gate.ts).
  const write = async (prepared: PreparedWrite & { leave: () => void }) => {
    try {
      await settle(); // at most one write in flight: bounded memory, and writes keep their order
    } catch (err) {
      prepared.leave();
      throw err;
    }
    counts.embedded += prepared.embedded;
    counts.unchanged += prepared.unchanged;
    counts.timings.lookup += prepared.lookupSeconds;
    counts.timings.embed += prepared.embedSeconds;
    const started = performance.now();
    inflight = commitWrite(deps.weaviate, prepared)
      .then(
        (r) => {
          counts.timings.write += (performance.now() - started) / 1000;
          record(counts, prepared.className, r);
        },
        (err: unknown) => void (storeFailure ??= err),
      )
      .finally(prepared.leave);
  };
  const prepare = async (className: string, objects: PendingObject[]) => {
    const leave = await enterWrites(deps.weaviate);
    try {
      return { ...(await prepareWrite(deps.weaviate, deps.encoder, className, objects)), leave };
    } catch (err) {
      leave();
      throw err;
    }
  };

  for (const [index, username] of usernames.entries()) {
    try {
      let fetchStarted = performance.now();
      const creator = await deps.reader.creator(username);
      const videos = await deps.reader.videos(creator, opts.postsPerCreator ?? 30);
      counts.timings.fetch += (performance.now() - fetchStarted) / 1000;
      counts.creators++;
      counts.videos += videos.length;
      const chunk = opts.videosPerChunk ?? 25;
      for (let i = 0; i < videos.length; i += chunk) {
        const part = videos.slice(i, i + chunk);
        fetchStarted = performance.now();
        const comments = await commentsOf(deps, part, opts.commentsPerVideo ?? 100, counts);
        counts.timings.fetch += (performance.now() - fetchStarted) / 1000;
        comments.forEach((c) => users.add(c.authorId));
        counts.comments += comments.length;
        await write(
          await prepare(
            "Video",
            part.map((v) => videoObject(v, creator, deps.encoder.modelId)),
          ),
        );
        await write(
          await prepare(
            "Comment",
            comments.map((c) => commentObject(c, deps.encoder.modelId)),
          ),
        );
      }
      await write(await prepare("CreatorBio", [bioObject(creator, deps.encoder.modelId)]));
      const newest = [...videos]
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
        .slice(0, opts.postsPerCreator ?? 30);
      await write(
        await prepare("Creator", [
          creatorObject(
            creator,
            newest.map((v) => v.id),
          ),
        ]),
      );
    } catch (err) {
      if (!(err instanceof SourceError)) throw err;
      counts.errors.push(`creator ${username}: ${err.message}`);
      deps.log.warn("creator skipped", { username, error: err.message });
    }
    opts.onProgress?.({ phase: "creators", done: index + 1, total: usernames.length, counts });
  }
  await settle();

  const userIds = [...users].sort();
  counts.users = userIds.length;
  for (let i = 0; i < userIds.length; i += 1000) {
    const started = performance.now();
    const interests = await interestObjects(deps.weaviate, userIds.slice(i, i + 1000));
    counts.timings.interests += (performance.now() - started) / 1000;
    await write(
      await prepare(
        "UserInterest",
        interests.filter((o) => o.className === "UserInterest"),
      ),
    );
    await write(
      await prepare(
        "UserVideoInterest",
        interests.filter((o) => o.className === "UserVideoInterest"),
      ),
    );
    opts.onProgress?.({
      phase: "interests",
      done: Math.min(i + 1000, userIds.length),
      total: userIds.length,
      counts,
    });
  }
  await settle();
  counts.malformed = { ...deps.reader.malformed };
  return counts;
}

async function commentsOf(
  deps: IngestDeps,
  videos: Video[],
  count: number,
  counts: IngestCounts,
): Promise<Comment[]> {
  if (count === 0) return []; // a posts-only run
  const lists = await Promise.all(
    videos.map((v) =>
      deps.reader.comments(v, count).catch((err: unknown) => {
        if (!(err instanceof SourceError)) throw err;
        counts.errors.push(`comments of video ${v.id}: ${err.message}`);
        return [] as Comment[];
      }),
    ),
  );
  return lists.flat();
}

function record(counts: IngestCounts, className: string, result: WriteResult) {
  counts.written[className] = (counts.written[className] ?? 0) + result.written;
  counts.failedWrites += result.failed.length;
  for (const f of result.failed.slice(0, 20))
    counts.errors.push(`${className} ${f.id} not written: ${f.error}`);
}
