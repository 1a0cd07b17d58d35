import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Encoder } from "../../src/embed/encoder.js";
import { createDumpSource } from "../../src/ingest/sources/dump-source.js";
import { createIngestRunner, type IngestRunner, type RunOutcome } from "../../src/ingest/ingest-runner.js";
import { createTikLiveClient } from "../../src/ingest/sources/tiklive-client.js";
import { silentLogger } from "../../src/platform/logger.js";
import { objectId } from "../../src/store/object-ids.js";
import { demoDump, readJson } from "../helpers/demo-dump.js";
import { testEncoder } from "../helpers/encoder.js";
import { startFakeTikLive, type FakeTikLive } from "../helpers/fake-tiklive.js";
import { ingestFuzzCases, type IngestFuzzCase, type SeedCreator } from "../helpers/ingest-fuzz-cases.js";
import { sharedPath } from "../helpers/shared.js";
import { startTestWeaviate, type TestWeaviate } from "../helpers/weaviate.js";

const CASES = Number(process.env.INGEST_FUZZ_CASES ?? 80);
const CASE_TIMEOUT_MS = 60_000;
/** Live heap (after a full GC) may grow this much from the first case to the last: no leak per case. */
const HEAP_GROWTH_LIMIT = 64 * 2 ** 20;
/** Peak RSS of the whole process (test, encoder worker, parsed bodies of up to ~25 MB). */
const RSS_LIMIT = 1.5 * 2 ** 30;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const liveHeap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

/** A few creators from a dump folder, as seeds for mutation. */
function seedsFrom(dir: string, limit: number): SeedCreator[] {
  return readdirSync(join(dir, "users"))
    .filter((f) => f.endsWith(".json"))
    .sort()
    .slice(0, limit)
    .map((f) => {
      const userinfo = readJson(join(dir, "users", f));
      const videos: any[] = readJson(join(dir, "posts", `${userinfo.user.id}.json`)).videos.slice(0, 6);
      const comments = new Map<string, any[]>();
      for (const v of videos) {
        const file = join(dir, "comments", `${v.video_id}.json`);
        if (existsSync(file)) comments.set(String(v.video_id), readJson(file).comments.slice(0, 4));
      }
      return { userinfo, videos, comments };
    });
}

// Hostile API payloads through the real parser, pipeline and store, from both sources: nothing
// crashes or hangs, every malformed item is counted and skipped, every well-formed one lands.
describe("ingestion fuzz (mutated TikLiveAPI payloads, live Weaviate, real encoder)", () => {
  let w: TestWeaviate;
  let encoder: Encoder;
  let runner: IngestRunner;
  let api: FakeTikLive;
  const root = mkdtempSync(join(tmpdir(), "tiktok-recs-ingest-fuzz-"));
  const { dir: demo } = demoDump();
  const real = sharedPath("datasets", "tiktok-nesc-dev");
  const seeds = [...seedsFrom(demo, 4), ...(real ? seedsFrom(real, 4) : [])];
  /** Writes a case's bodies into the dump folder both sources serve from, and lets go of them. */
  const lay = (c: IngestFuzzCase) => {
    for (const f of c.files) {
      mkdirSync(dirname(join(root, f.path)), { recursive: true });
      writeFileSync(join(root, f.path), f.text);
    }
    c.files = [];
  };

  before(async () => {
    [w, encoder] = await Promise.all([startTestWeaviate(), testEncoder()]);
    runner = createIngestRunner({ weaviate: w, encoder, log: silentLogger });
    api = await startFakeTikLive(root);
  });
  after(async () => {
    await api?.close();
    await encoder?.dispose();
    await w?.dispose();
    rmSync(root, { recursive: true, force: true });
    rmSync(demo, { recursive: true, force: true });
  });

  const http = () =>
    createTikLiveClient({
      baseUrl: api.url,
      apiKey: api.apiKey,
      timeoutMs: 10_000,
      maxRetries: 1,
      baseDelayMs: 1,
      maxDelayMs: 5,
      log: silentLogger,
    });

  /** The ids of `ids` that exist in the store, read back by object id. */
  async function stored(className: string, idProperty: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const col = w.client.collections.get(className);
    // An id no object id can be made of (a lone surrogate) cannot be stored either.
    const uuids = [...new Set(ids)].flatMap((id) => {
      try {
        return [objectId(className, id)];
      } catch {
        return [];
      }
    });
    const res = await col.query.fetchObjects({
      filters: col.filter.byId().containsAny(uuids),
      limit: uuids.length + 1,
      returnProperties: [idProperty] as never,
    });
    return new Set(res.objects.map((o) => String((o.properties as Record<string, unknown>)[idProperty])));
  }

  async function mismatches(c: IngestFuzzCase, outcome: RunOutcome): Promise<string[]> {
    const { counts } = outcome;
    const e = c.expect;
    const out: string[] = [];
    const check = (what: string, got: unknown, want: unknown) => {
      if (JSON.stringify(got) !== JSON.stringify(want))
        out.push(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    };
    check("malformed", counts.malformed, e.malformed);
    check("creators", counts.creators, e.creator ? 1 : 0);
    check("videos", counts.videos, e.videoIds.length);
    check("comments", counts.comments, e.commentIds.length);
    check("errors", counts.errors.length, e.sourceErrors);
    check("failed writes", counts.failedWrites, 0);
    check("status", outcome.status, e.sourceErrors > 0 ? "partial" : "succeeded");
    check("written Video", counts.written.Video ?? 0, e.videoIds.length);
    check("written Comment", counts.written.Comment ?? 0, e.commentIds.length);
    check("written Creator", counts.written.Creator ?? 0, e.creator ? 1 : 0);
    const videos = await stored("Video", "videoId", [...e.videoIds, ...e.servedVideoIds]);
    check("stored videos", [...videos].sort(), [...e.videoIds].sort());
    const comments = await stored("Comment", "commentId", [...e.commentIds, ...e.servedCommentIds]);
    check("stored comments", [...comments].sort(), [...e.commentIds].sort());
    check("stored creator", (await stored("Creator", "creatorId", [e.creatorId])).size, e.creator ? 1 : 0);
    // Items seen = written + skipped, per item endpoint (an envelope lost whole counts once).
    const seen = e.videoIds.length + e.malformed.posts;
    check("videos seen = landed + skipped", counts.videos + counts.malformed.posts, seen);
    return out;
  }

  it(
    `ingests ${CASES} seeded hostile cases with exact counts, bounded time and memory`,
    { timeout: CASES * CASE_TIMEOUT_MS },
    async () => {
      const escaped: string[] = [];
      const onRejection = (err: unknown) => escaped.push(`unhandled rejection: ${String(err)}`);
      const onException = (err: Error) => escaped.push(`uncaught exception: ${err.message}`);
      process.on("unhandledRejection", onRejection);
      process.on("uncaughtException", onException);
      const startRss = process.memoryUsage().rss;
      let peakRss = 0;
      let firstHeap = 0;
      let lastHeap = 0;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
      const failures: string[] = [];
      const tally = {
        succeeded: 0,
        partial: 0,
        crashed: 0,
        timedOut: 0,
        videosWritten: 0,
        commentsWritten: 0,
        itemsSkipped: 0,
        envelopesLost: 0,
      };
      const started = performance.now();
      let slowest = 0;
      try {
        for (const c of ingestFuzzCases(seeds, CASES)) {
          lay(c);
          const viaHttp = c.index % 2 === 0;
          const caseStarted = performance.now();
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<"timeout">(
            (resolve) => (timer = setTimeout(() => resolve("timeout"), CASE_TIMEOUT_MS)),
          );
          let outcome: RunOutcome | "timeout";
          try {
            outcome = await Promise.race([
              runner.run(viaHttp ? http() : createDumpSource(root), [c.username], { trigger: "fuzz" }),
              timeout,
            ]);
          } catch (err) {
            tally.crashed++;
            failures.push(
              `case ${c.index} [${c.mutations.join(", ")}] via ${viaHttp ? "http" : "dump"}: threw ${(err as Error).stack}`,
            );
            continue;
          } finally {
            clearTimeout(timer);
          }
          slowest = Math.max(slowest, performance.now() - caseStarted);
          if (outcome === "timeout") {
            tally.timedOut++;
            failures.push(`case ${c.index} [${c.mutations.join(", ")}]: no result in ${CASE_TIMEOUT_MS} ms`);
            break; // the runner is still busy with it
          }
          tally[outcome.status]++;
          tally.videosWritten += outcome.counts.written.Video ?? 0;
          tally.commentsWritten += outcome.counts.written.Comment ?? 0;
          tally.itemsSkipped +=
            outcome.counts.malformed.posts +
            outcome.counts.malformed.comments +
            outcome.counts.malformed.userinfo -
            c.expect.sourceErrors;
          tally.envelopesLost += outcome.counts.errors.length;
          const wrong = await mismatches(c, outcome);
          if (wrong.length > 0)
            failures.push(
              `case ${c.index} [${c.mutations.join(", ")}] via ${viaHttp ? "http" : "dump"}:\n  ${wrong.join("\n  ")}\n  errors: ${outcome.counts.errors.slice(0, 3).join(" | ").slice(0, 600)}`,
            );
          if (c.index === 0) firstHeap = liveHeap();
          if (process.env.INGEST_FUZZ_DEBUG)
            console.error(
              `rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} live heap ${Math.round(liveHeap() / 2 ** 20)} case ${c.index} ${(performance.now() - caseStarted).toFixed(0)}ms ${c.mutations.join(", ")}`,
            );
        }
      } finally {
        clearInterval(sampler);
        lastHeap = liveHeap();
        process.off("unhandledRejection", onRejection);
        process.off("uncaughtException", onException);
      }
      const mib = (n: number) => Math.round(n / 2 ** 20);
      console.log(
        `# ingest-fuzz: ${CASES} cases (seeds: ${seeds.length}, ${real ? "demo + tiktok-nesc-dev" : "demo only"}) in ${((performance.now() - started) / 1000).toFixed(1)} s, slowest ${(slowest / 1000).toFixed(1)} s; ` +
          `${tally.succeeded} succeeded, ${tally.partial} partial, ${tally.crashed} threw, ${tally.timedOut} timed out, ${failures.length} wrong; ` +
          `${tally.videosWritten} videos and ${tally.commentsWritten} comments written, ${tally.itemsSkipped} items skipped, ${tally.envelopesLost} responses lost whole; ` +
          `live heap after the first case ${mib(firstHeap)} MiB, after the last ${mib(lastHeap)} MiB; RSS at start ${mib(startRss)} MiB, peak ${mib(peakRss)} MiB`,
      );
      assert.deepEqual(escaped, []);
      assert.deepEqual(failures.slice(0, 5), [], `${failures.length} of ${CASES} cases went wrong`);
      assert.ok(
        lastHeap - firstHeap < HEAP_GROWTH_LIMIT,
        `live heap grew by ${mib(lastHeap - firstHeap)} MiB over ${CASES} cases`,
      );
      assert.ok(peakRss < RSS_LIMIT, `peak RSS ${mib(peakRss)} MiB`);
    },
  );
});
