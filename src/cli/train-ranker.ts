/**
 * npm run train:ranker -- [--dataset ../shared/datasets/tiktok-nesc-dev] [--users N] [--seed 7] [--out models/ranker/model.onnx] [--point-in-time]
 * Trains the learned ranker on the "train" half of the users (src/eval/user-partition.ts) with
 * the evaluation's time split: their past is ingested into a fresh embedded Weaviate, their
 * held-out videos are the positives, sampled negatives of all three kinds the negatives, and the
 * features come from the serving code. The server loads the result by RANKER_MODEL.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../config/config.js";
import { REPO_ROOT } from "../config/paths.js";
import { createEncoder } from "../embed/encoder.js";
import { readCatalogue } from "../eval/catalogue.js";
import { ingestPast } from "../eval/ingest-past.js";
import { timeSplit } from "../eval/time-split.js";
import { userPartition } from "../eval/user-partition.js";
import { createLogger } from "../logger.js";
import { FEATURES } from "../rank/ranking-features.js";
import { fitRanker } from "../rank/train-ranker.js";
import { trainingRows } from "../rank/training-rows.js";
import { applySchema } from "../store/class-schema.js";
import { phaseProgress } from "./progress.js";
import { openScratchWeaviate } from "./scratch-weaviate.js";
import { seededRandom } from "./seeded-random.js";

const config = loadConfig();
const { values: args } = parseArgs({
  options: {
    dataset: { type: "string", default: join(REPO_ROOT, "..", "shared", "datasets", "tiktok-nesc-dev") },
    users: { type: "string" },
    seed: { type: "string", default: "7" },
    out: { type: "string", default: join(config.models.dir, "ranker", "model.onnx") },
    "point-in-time": { type: "boolean", default: false },
  },
});
const dataset = resolve(args.dataset!);
if (!existsSync(join(dataset, "posts")) || !existsSync(join(dataset, "comments"))) {
  console.error(`train:ranker: ${dataset} is not a TikLiveAPI dump with posts/ and comments/ (pass --dataset <dir>)`);
  process.exit(2);
}
const log = createLogger("warn");
const random = seededRandom(Number(args.seed));
const started = performance.now();
const split = timeSplit(dataset);
const catalogue = readCatalogue(dataset);
const known = new Set(catalogue.map((v) => v.videoId));
let users = split.users.filter((u) => userPartition(u.userId) === "train" && u.heldOutVideoIds.some((v) => known.has(v)));
if (args.users) users = users.slice(0, Number(args.users));
console.log(`train:ranker: ${users.length} train-half users of ${split.users.length} eligible`);

const weaviate = await openScratchWeaviate("train-ranker", log);
const encoder = await createEncoder({ modelsDir: config.models.dir, ...config.models });
try {
  await applySchema(weaviate, log);
  const progress = phaseProgress("train:ranker");
  const ingestSeconds = await ingestPast(dataset, users, { weaviate, encoder, log }, progress);
  const rowsStarted = performance.now();
  const rows = await trainingRows({ weaviate, coldStart: { minComments: 3, minMembers: 3 } }, users, catalogue, 10, random, (d, t) => progress("rows", d, t));
  const rowSeconds = (performance.now() - rowsStarted) / 1000;
  const out = resolve(args.out!);
  const manifest = fitRanker(rows, out, config.weaviate.cacheDir, log, {
    dataset: existsSync(join(dataset, "manifest.json")) ? JSON.parse(readFileSync(join(dataset, "manifest.json"), "utf8")) : dataset,
    partition: "train",
    seed: Number(args.seed),
    ingestSeconds: Math.round(ingestSeconds),
    rowSeconds: Math.round(rowSeconds),
  }, args["point-in-time"] ? (name) => FEATURES.find((f) => f.name === name)!.pointInTime : undefined);
  console.log(`train:ranker: ${manifest.rows} rows (${manifest.positives} positive) from ${manifest.users} users; validation mean per-user AUC ${JSON.stringify(manifest.validationMeanUserAuc)}; chose ${manifest.model}`);
  console.log(`train:ranker: ingest ${ingestSeconds.toFixed(0)} s, rows ${rowSeconds.toFixed(0)} s, fit ${JSON.stringify(manifest.fitSeconds)} s, refit ${manifest.refitSeconds} s, total ${((performance.now() - started) / 1000).toFixed(0)} s`);
  console.log(`train:ranker: wrote ${out} and manifest.json`);
} finally {
  await encoder.dispose();
  await weaviate.close();
}
