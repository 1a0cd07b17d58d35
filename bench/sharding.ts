/**
 * npm run bench:sharding -- [--sizes 30000,100000] [--setups one,shards3,shards3rf3] [--queries 1000] [--timed 200]
 * The Video class over Weaviate's sharding: (one) one shard on a single node, (shards3) three
 * shards over the 3-node loopback cluster, no replication, (shards3rf3) three shards each on all
 * three nodes (replication factor 3, reads at ONE). The same catalogue as bench:scale (real
 * vectors + noise), grown size by size; at each: import rate, recall@200 against exact search and
 * p50/p99 of raw nearVector and of our recall stage, with and without the selective filter.
 * All nodes share this machine's cores, so the figures show the coordination cost of sharding,
 * not the capacity more machines would add (docs/scale.md reasons about that).
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { configOrFail } from "../src/platform/config/config-or-fail.js";
import { saveFigures } from "./harness/bench-figures.js";
import { ExactTruth } from "./harness/scale-truth.js";
import { importScaleVideos } from "./harness/scale-import.js";
import { indexRecall, stageTimes, type StageTimes } from "./harness/scale-latency.js";
import { createVideoClass, startBenchCluster } from "./harness/scale-store.js";
import { realVideoVectors, syntheticQueries } from "./harness/scale-vectors.js";

const SETUPS: Record<string, { nodes: number; shards: number; replicas: number }> = {
  one: { nodes: 1, shards: 1, replicas: 1 },
  shards3: { nodes: 3, shards: 3, replicas: 1 },
  shards3rf3: { nodes: 3, shards: 3, replicas: 3 },
  rf3: { nodes: 3, shards: 1, replicas: 3 },
};

const { values: args } = parseArgs({
  options: {
    sizes: { type: "string", default: "30000,100000" },
    setups: { type: "string", default: "one,shards3,shards3rf3" },
    queries: { type: "string", default: "1000" },
    timed: { type: "string", default: "200" },
    noise: { type: "string", default: "0.5" },
    seed: { type: "string", default: "1" },
  },
});
const sizes = args.sizes
  .split(",")
  .map(Number)
  .sort((a, b) => a - b);
const setups = args.setups.split(",");
for (const s of setups)
  if (!SETUPS[s]) throw new Error(`--setups: unknown ${s} (${Object.keys(SETUPS).join(", ")})`);
const seed = Number(args.seed);
const noise = Number(args.noise);
const say = (line: string) => process.stderr.write(`${line}\n`);

const { config, log } = configOrFail("bench:sharding");
const real = await realVideoVectors(config.models, say);
const queries = syntheticQueries(real.vectors, Number(args.queries), seed, noise);
const exactTruth = new ExactTruth({ seed, noise, queries: queries.length, modelId: real.modelId });

interface Row {
  setup: string;
  size: number;
  importPerSecond: number;
  recallAt200: number;
  times: StageTimes;
  loadAverage1m: number;
}
const rows: Row[] = [];
for (const name of setups) {
  const setup = SETUPS[name]!;
  const bench = await startBenchCluster(setup.nodes, log);
  try {
    const handle = await bench.open(setup.replicas);
    await createVideoClass(handle, {}, setup.shards, setup.replicas);
    const exact = exactTruth.scanFor(queries, sizes);
    let imported = 0;
    let seconds = 0;
    for (const size of sizes) {
      const started = performance.now();
      await importScaleVideos(handle, imported, size, {
        real,
        seed,
        noise,
        batchSize: 1000,
        concurrency: 2,
        writer: "rest",
        onChunk: exact ? (v, first) => exact.add(v, first) : undefined,
        onProgress: (done) => process.stderr.write(`\rsharding ${name}: ${done}/${size} imported  `),
      });
      seconds += (performance.now() - started) / 1000;
      imported = size;
      process.stderr.write("\n");
      const recall = await indexRecall(handle, queries, exactTruth.at(size, exact, queries.length));
      const times = await stageTimes(handle, queries.slice(0, Number(args.timed)), {
        filters: { languages: ["fr"] },
        raw: handle.client.collections.get("Video").filter.byProperty("language").containsAny(["fr"]),
      });
      const row = {
        setup: name,
        size,
        importPerSecond: size / seconds,
        recallAt200: recall,
        times,
        loadAverage1m: loadavg()[0]!,
      };
      rows.push(row);
      say(`sharding ${name} ${size}: ${JSON.stringify(row)}`);
    }
    await handle.close();
  } finally {
    await bench.dispose();
  }
}

console.log(
  `\nbench:sharding  ${queries.length} recall queries, ${args.timed} timed, 3-node loopback cluster on ${process.env.HOSTNAME ?? "this machine"}`,
);
console.log(
  "| setup | videos | import/s | recall@200 | raw p50/p99 ms | ours p50/p99 ms | raw fr p50/p99 | ours fr p50/p99 | load 1m |",
);
console.log(`|${" --- |".repeat(9)}`);
const f = (x: number) => x.toFixed(1);
for (const r of rows) {
  const t = r.times;
  const s = SETUPS[r.setup]!;
  console.log(
    `| ${r.setup} (${s.nodes} node${s.nodes > 1 ? "s" : ""}, ${s.shards} shard${s.shards > 1 ? "s" : ""}, RF ${s.replicas}) | ${r.size} | ${Math.round(r.importPerSecond)} | ${(r.recallAt200 * 100).toFixed(1)}% | ` +
      `${f(t.raw.p50)} / ${f(t.raw.p99)} | ${f(t.ours.p50)} / ${f(t.ours.p99)} | ${f(t.rawFiltered.p50)} / ${f(t.rawFiltered.p99)} | ${f(t.oursFiltered.p50)} / ${f(t.oursFiltered.p99)} | ${r.loadAverage1m.toFixed(1)} |`,
  );
}
const figures: Record<string, number> = {};
for (const r of rows.filter((x) => x.size === Math.max(...sizes))) {
  Object.assign(figures, {
    [`recallAt200_${r.setup}`]: Number(r.recallAt200.toFixed(4)),
    [`p50Ms_${r.setup}`]: Number(r.times.ours.p50.toFixed(2)),
    [`p99Ms_${r.setup}`]: Number(r.times.ours.p99.toFixed(2)),
    [`importPerSecond_${r.setup}`]: Math.round(r.importPerSecond),
  });
}
if (rows.length)
  saveFigures("bench:sharding", { ...figures, largestSize: Math.max(...rows.map((r) => r.size)) });
