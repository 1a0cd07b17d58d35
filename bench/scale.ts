/**
 * npm run bench:scale -- [--sizes 100000,300000,1000000] [--configs none,rq8,rq1,pq,bq]
 *   [--largest-for none,rq8] [--queries 1000] [--timed 300] [--writer rest|grpc] [--batch 1000]
 * A catalogue of N videos drawn around the dev dataset's real video vectors (real vector +
 * gaussian noise, renormalised; properties borrowed from the parent video), imported into a fresh
 * single-node Weaviate per compression config and grown size by size. At each size: memory
 * (weaviate-server RSS from /proc, Go heap from Weaviate's /metrics), disk (du of its data folder),
 * import rate, recall@200 of nearVector against exact search computed here, and p50/p99 of our
 * recall stage beside raw weaviate-client nearVector, with and without a selective filter
 * (language "fr", 5%). Then bytes = fixed + perVector x N fitted over the sizes, checked by
 * holding out the largest, and projected to 5M. Results accumulate in .data/scale/results.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { configOrFail } from "../src/platform/config/config-or-fail.js";
import { REPO_ROOT } from "../src/platform/paths.js";
import { saveFigures } from "./harness/bench-figures.js";
import { ExactTruth } from "./harness/scale-truth.js";
import { importScaleVideos, type Writer } from "./harness/scale-import.js";
import { indexRecall, stageTimes } from "./harness/scale-latency.js";
import { printScaleReport, scaleFigures, type ScaleRow } from "./harness/scale-report.js";
import {
  COMPRESSION,
  createVideoClass,
  diskBytes,
  heapInUseBytes,
  rssBytes,
  startBenchCluster,
} from "./harness/scale-store.js";
import { realVideoVectors, syntheticQueries } from "./harness/scale-vectors.js";

const { values: args } = parseArgs({
  options: {
    sizes: { type: "string", default: "100000,300000,1000000" },
    configs: { type: "string", default: "none,rq8,rq1,pq,bq" },
    "largest-for": { type: "string" },
    queries: { type: "string", default: "1000" },
    timed: { type: "string", default: "300" },
    writer: { type: "string", default: "rest" },
    batch: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "2" },
    noise: { type: "string", default: "0.5" },
    seed: { type: "string", default: "1" },
    /** Prints the table and saves the figures from .data/scale/results.json, measuring nothing. */
    report: { type: "boolean", default: false },
  },
});
const sizes = args.sizes
  .split(",")
  .map(Number)
  .sort((a, b) => a - b);
const configs = args.configs.split(",");
for (const c of configs)
  if (!COMPRESSION[c]) throw new Error(`--configs: unknown ${c} (${Object.keys(COMPRESSION).join(", ")})`);
const largestFor = new Set((args["largest-for"] ?? args.configs).split(","));
const seed = Number(args.seed);
const noise = Number(args.noise);
const say = (line: string) => process.stderr.write(`${line}\n`);

const { config, log } = configOrFail("bench:scale");
const real = await realVideoVectors(config.models, say);
const queries = syntheticQueries(real.vectors, Number(args.queries), seed, noise);
const timed = queries.slice(0, Number(args.timed));

const exactTruth = new ExactTruth({ seed, noise, queries: queries.length, modelId: real.modelId });
const resultsFile = join(REPO_ROOT, ".data", "scale", "results.json");
mkdirSync(join(REPO_ROOT, ".data", "scale"), { recursive: true });
const rows: ScaleRow[] = [];
const readResults = (): ScaleRow[] =>
  existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, "utf8")) as ScaleRow[]) : [];
const meta = { queries: queries.length, timed: timed.length, noise, writer: args.writer };
if (args.report) {
  const saved = readResults().filter((r) => configs.includes(r.config));
  saveFigures("bench:scale", scaleFigures(saved));
  printScaleReport(saved, meta);
  process.exit(0);
}
if (timed.length <= 20) throw new Error("--timed: give more than the 20 warm-up queries");

for (const name of configs) {
  const steps = largestFor.has(name) ? sizes : sizes.slice(0, -1);
  const bench = await startBenchCluster(1, log);
  try {
    const node = bench.cluster.nodes[0]!;
    const handle = await bench.open(1);
    await createVideoClass(handle, COMPRESSION[name]!);
    await new Promise((r) => setTimeout(r, 2_000));
    const rss0 = rssBytes(node.pid);
    const heap0 = await heapInUseBytes(bench.metricsUrls[0]!);
    const disk0 = diskBytes(node.dataDir);
    const exact = exactTruth.scanFor(queries, steps);
    let imported = 0;
    let importSeconds = 0;
    for (const size of steps) {
      const started = performance.now();
      await importScaleVideos(handle, imported, size, {
        real,
        seed,
        noise,
        batchSize: Number(args.batch),
        concurrency: Number(args.concurrency),
        writer: args.writer as Writer,
        onChunk: exact ? (v, first) => exact.add(v, first) : undefined,
        onProgress: (done) => process.stderr.write(`\rscale ${name}: ${done}/${size} imported  `),
      });
      importSeconds += (performance.now() - started) / 1000;
      imported = size;
      process.stderr.write("\n");
      const truth = exactTruth.at(size, exact, queries.length);
      const recall = await indexRecall(handle, queries, truth);
      const times = await stageTimes(handle, timed, {
        filters: { languages: ["fr"] },
        raw: handle.client.collections.get("Video").filter.byProperty("language").containsAny(["fr"]),
      });
      const row: ScaleRow = {
        config: name,
        size,
        rssBytes: rssBytes(node.pid),
        rssDeltaBytes: rssBytes(node.pid) - rss0,
        heapInUseDeltaBytes: (await heapInUseBytes(bench.metricsUrls[0]!)) - heap0,
        diskBytes: diskBytes(node.dataDir),
        diskDeltaBytes: diskBytes(node.dataDir) - disk0,
        importPerSecond: size / importSeconds,
        recallAt200: recall,
        times,
        loadAverage1m: loadavg()[0]!,
        writer: args.writer,
      };
      rows.push(row);
      say(`scale ${name} ${size}: ${JSON.stringify(row)}`);
      const kept = readResults().filter((r) => !(r.config === row.config && r.size === row.size));
      writeFileSync(resultsFile, JSON.stringify([...kept, row], null, 2));
    }
    await handle.close();
  } finally {
    await bench.dispose();
  }
  // Figures from every row measured so far, this run and earlier ones (results.json keeps them).
  saveFigures("bench:scale", scaleFigures(readResults()));
}
printScaleReport(rows, meta);
