/**
 * npm run bench -- [--videos 5776] [--queries 300]
 * Recall speed on a synthetic catalogue (random unit vectors, realistic properties) in a fresh
 * embedded Weaviate: raw weaviate-client nearVector (ids and distances only) beside our recall
 * stage (which also returns what ranking needs), unfiltered and with a filter that keeps a third
 * of the videos. The p99 ratio is our overhead. Use --videos 115520 for the 20x scale.
 */
import { parseArgs } from "node:util";
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
async function time(label: string, run: (q: number[]) => Promise<unknown>) {
  const qs = Array.from({ length: queries }, unit);
  for (const q of qs.slice(0, 20)) await run(q); // warm-up
  const ms: number[] = [];
  for (const q of qs) {
    const t = performance.now();
    await run(q);
    ms.push(performance.now() - t);
  }
  return { label, p50: pct(ms, 50), p99: pct(ms, 99) };
}

const collection = weaviate.client.collections.get("Video");
const raw = (filters?: VideoFilters) => (q: number[]) =>
  collection.query.nearVector(q, {
    limit: 200,
    returnMetadata: ["distance"],
    returnProperties: [] as never,
    filters: filters ? videoFilter(weaviate, filters) : undefined,
  });
const ours = (filters: VideoFilters) => (q: number[]) => recallVideos(weaviate, q, filters, 200);
const third: VideoFilters = { languages: ["en"] };
const rows = [
  [await time("raw nearVector top 200", raw()), await time("our recall stage top 200", ours({}))],
  [await time("raw, filter keeps 1/3", raw(third)), await time("ours, filter keeps 1/3", ours(third))],
];
console.log(
  `\nbench (recall)  ${videos} videos (inserted in ${insertSeconds.toFixed(1)} s), ${queries} queries, weaviate ${weaviate.embedded?.version}`,
);
console.log(
  "| query | raw p50 ms | raw p99 ms | ours p50 ms | ours p99 ms | p99 ratio |\n| --- | --- | --- | --- | --- | --- |",
);
for (const [r, o] of rows) {
  console.log(
    `| ${o!.label.replace(/^ours, |^our recall stage /, "")} | ${r!.p50.toFixed(1)} | ${r!.p99.toFixed(1)} | ${o!.p50.toFixed(1)} | ${o!.p99.toFixed(1)} | ${(o!.p99 / r!.p99).toFixed(2)}x |`,
  );
}
await weaviate.close();
