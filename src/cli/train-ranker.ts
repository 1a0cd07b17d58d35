/**
 * npm run train:ranker -- [--dataset ../shared/datasets/tiktok-nesc-dev] [--users N] [--store DIR] [--seed 7] [--out models/ranker/model.onnx] [--point-in-time]
 * Trains the learned ranker on the "train" half of the users (src/eval/user-partition.ts) with
 * the evaluation's time split: their past is ingested into a fresh embedded Weaviate, their
 * held-out videos are the positives, sampled negatives of all three kinds the negatives, and the
 * features come from the serving code. The server loads the result by RANKER_MODEL.
 */
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../config/config.js";
import { createLogger } from "../logger.js";
import { FEATURES } from "../rank/ranking-features.js";
import { fitRanker } from "../rank/train-ranker.js";
import { trainingRows } from "../rank/training-rows.js";
import { seededRandom } from "./seeded-random.js";
import { DEFAULT_DATASET, openTrainingStore } from "./training-store.js";

const config = loadConfig();
const { values: args } = parseArgs({
  options: {
    dataset: { type: "string", default: DEFAULT_DATASET },
    users: { type: "string" },
    store: { type: "string" },
    seed: { type: "string", default: "7" },
    out: { type: "string", default: join(config.models.dir, "ranker", "model.onnx") },
    "point-in-time": { type: "boolean", default: false },
  },
});
const log = createLogger("warn");
const random = seededRandom(Number(args.seed));
const started = performance.now();
const store = await openTrainingStore("train:ranker", args.dataset!, args.users ? Number(args.users) : undefined, args.store, config, log);
try {
  const { users, catalogue, weaviate, ingestSeconds, progress } = store;
  const rowsStarted = performance.now();
  const rows = await trainingRows({ weaviate, coldStart: { minComments: 3, minMembers: 3 } }, users, catalogue, 10, random, (d, t) => progress("rows", d, t));
  const rowSeconds = (performance.now() - rowsStarted) / 1000;
  const out = resolve(args.out!);
  const manifest = fitRanker(rows, out, config.weaviate.cacheDir, log, {
    dataset: store.datasetInfo,
    partition: "train",
    seed: Number(args.seed),
    ingestSeconds: Math.round(ingestSeconds),
    rowSeconds: Math.round(rowSeconds),
  }, args["point-in-time"] ? (name) => FEATURES.find((f) => f.name === name)!.pointInTime : undefined);
  console.log(`train:ranker: ${manifest.rows} rows (${manifest.positives} positive) from ${manifest.users} users; validation mean per-user AUC ${JSON.stringify(manifest.validationMeanUserAuc)}; chose ${manifest.model}`);
  console.log(`train:ranker: ingest ${ingestSeconds.toFixed(0)} s, rows ${rowSeconds.toFixed(0)} s, fit ${JSON.stringify(manifest.fitSeconds)} s, refit ${manifest.refitSeconds} s, total ${((performance.now() - started) / 1000).toFixed(0)} s`);
  console.log(`train:ranker: wrote ${out} and manifest.json`);
} finally {
  await store.close();
}
