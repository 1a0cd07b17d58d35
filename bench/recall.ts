/**
 * npm run bench -- [--videos 5776] [--queries 300]
 * Recall speed on a synthetic catalogue (random unit vectors, realistic properties) in a fresh
 * embedded Weaviate: raw weaviate-client nearVector (ids and distances only) beside our recall
 * stage (which also returns what ranking needs), unfiltered and with a filter that keeps a third
 * of the videos, beside the variants that say where the difference goes: the same raw call on a
 * bare client (our proxies' share), raw plus the six properties ranking reads (their share), and
 * the recall stage as it was before issue 17. Use --videos 115520 for the 20x scale.
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import weaviate_ from "weaviate-client";
import { configOrFail } from "../src/platform/config/config-or-fail.js";
import { recallVideos } from "../src/recommend/recall/recall-videos.js";
import { applySchema } from "../src/store/class-schema.js";
import { videoFilter, type VideoFilters } from "../src/store/video-search.js";
import { seededRandom } from "../src/platform/seeded-random.js";
import { openScratchWeaviate } from "../src/store/scratch-weaviate.js";
import { randomUnit, writeSyntheticVideos } from "./harness/synthetic-catalogue.js";

const { values: args } = parseArgs({
  options: { videos: { type: "string", default: "5776" }, queries: { type: "string", default: "300" } },
});
const videos = Number(args.videos);
const queries = Number(args.queries);
const random = seededRandom(42);
const unit = () => randomUnit(random);

// Read only to fail early and clearly on a bad environment: the scratch store reads it again.
const { log } = configOrFail("bench:recall");
const weaviate = await openScratchWeaviate("bench-recall", log);
await applySchema(weaviate, log);

const started = Date.now();
const creators = Array.from({ length: 33 }, (_, i) => `c${i}`);
await writeSyntheticVideos(weaviate, videos, random, creators, (done) =>
  process.stderr.write(`\rbench: inserted ${done}/${videos} videos`),
);
const insertSeconds = (Date.now() - started) / 1000;
process.stderr.write("\n");

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

// Where the time goes: every variant runs on the same query in turn, so load falls on all alike.
const proxied = weaviate.client.collections.get("Video");
const bareClient = await weaviate_.connectToLocal({
  host: "127.0.0.1",
  port: weaviate.embedded!.httpPort,
  grpcPort: weaviate.embedded!.grpcPort,
});
const bare = bareClient.collections.get("Video");
const bareQuorum = bare.withConsistency("QUORUM");
const HIT = ["videoId", "creatorId", "createdAt", "playCount", "commentCount", "language"];
type Variant = (q: number[], f?: VideoFilters) => Promise<unknown>;
const near = (c: typeof bare, props: string[]) => (q: number[], f?: VideoFilters) =>
  c.query.nearVector(q, {
    limit: 200,
    returnMetadata: ["distance"],
    returnProperties: props as never,
    filters: f ? videoFilter(weaviate, f) : undefined,
  });
const variants: [string, Variant][] = [
  ["raw nearVector, ids + distances (our client proxies)", near(proxied, [])],
  ["raw nearVector, bare weaviate-client (no proxies)", near(bare, [])],
  ["raw nearVector, bare client at QUORUM (what consistent-client.ts adds)", near(bareQuorum, [])],
  ["raw + the 6 properties ranking needs", near(proxied, HIT)],
  [
    "raw + the 6 properties, collections.get per call",
    (q, f) => near(weaviate.client.collections.get("Video"), HIT)(q, f),
  ],
  ["our recall stage before (HEAD's nearVideos)", (q, f) => previousNearVideos(q, f ?? {})],
  ["our recall stage (recallVideos)", (q, f) => recallVideos(weaviate, q, f ?? {}, 200)],
];
async function time(filters?: VideoFilters) {
  const qs = Array.from({ length: queries + 20 }, unit);
  const ms = variants.map(() => [] as number[]);
  for (const [i, q] of qs.entries())
    for (const [v, [, run]] of variants.entries()) {
      const t = performance.now();
      await run(q, filters);
      if (i >= 20) ms[v]!.push(performance.now() - t); // the first 20 warm up
    }
  return ms.map((xs) => ({ p50: pct(xs, 50), p99: pct(xs, 99) }));
}

/** The recall stage as it was before the issue-17 change, kept to time it beside the current one. */
async function previousNearVideos(q: number[], filters: VideoFilters) {
  const res = await weaviate.client.collections.get("Video").query.nearVector(q, {
    limit: 200,
    filters: videoFilter(weaviate, filters),
    returnMetadata: ["distance"],
    returnProperties: HIT as never,
    includeVector: false,
  });
  return res.objects.map((o) => {
    const p = o.properties as Record<string, unknown>;
    return {
      ...{
        uuid: o.uuid,
        distance: o.metadata?.distance ?? 1,
        videoId: String(p.videoId),
        creatorId: String(p.creatorId),
        createdAt: new Date(p.createdAt as Date),
        playCount: Number(p.playCount ?? 0),
        commentCount: Number(p.commentCount ?? 0),
        language: String(p.language ?? "und"),
      },
      vector: (o.vectors as Record<string, number[]> | undefined)?.default,
    };
  });
}

const third: VideoFilters = { languages: ["en"] };
const unfiltered = await time();
const filtered = await time(third);
console.log(
  `\nbench (recall)  ${videos} videos (inserted in ${insertSeconds.toFixed(1)} s), ${queries} queries, weaviate ${weaviate.embedded?.version}, load ${loadavg()[0]!.toFixed(1)}`,
);
console.log(
  "| variant | p50 ms | p99 ms | p50 / raw | p99 / raw | filter 1/3: p50 ms | p99 ms | p50 / raw | p99 / raw |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
);
for (const [v, [label]] of variants.entries()) {
  const u = unfiltered[v]!;
  const f = filtered[v]!;
  console.log(
    `| ${label} | ${u.p50.toFixed(2)} | ${u.p99.toFixed(2)} | ${(u.p50 / unfiltered[0]!.p50).toFixed(2)}x | ${(u.p99 / unfiltered[0]!.p99).toFixed(2)}x | ` +
      `${f.p50.toFixed(2)} | ${f.p99.toFixed(2)} | ${(f.p50 / filtered[0]!.p50).toFixed(2)}x | ${(f.p99 / filtered[0]!.p99).toFixed(2)}x |`,
  );
}
await bareClient.close();
await weaviate.close();
