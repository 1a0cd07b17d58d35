/**
 * npm run train:ranker -- [--dataset ../shared/datasets/tiktok-nesc-dev] [--users N] [--store DIR] [--seed 7] [--out models/ranker/model.onnx] [--point-in-time] [--features all|a,b,c]
 * Trains the learned ranker on the "train" half of the users (src/offline/eval/user-partition.ts) with
 * the evaluation's time split: their past is ingested into a fresh embedded Weaviate, their
 * held-out videos are the positives, sampled negatives of all three kinds the negatives, and the
 * features come from the serving code. The server loads the result by RANKER_MODEL.
 */
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { configOrFail } from "../platform/config/config-or-fail.js";
import { FEATURES, readsVectors } from "../recommend/rank/ranking-features.js";
import { fitRanker } from "../offline/training/train-ranker.js";
import { trainingRows } from "../offline/training/training-rows.js";
import { seededRandom } from "../platform/seeded-random.js";
import { openTrainingStore, TRAINING_STORE_OPTIONS } from "../offline/training/training-store.js";
import { registerRankerFile } from "../recommend/registry/configured-models.js";

const { config, log } = configOrFail("train:ranker");
const { values: args } = parseArgs({
  options: {
    ...TRAINING_STORE_OPTIONS,
    out: { type: "string", default: join(config.models.dir, "ranker", "model.onnx") },
    "point-in-time": { type: "boolean", default: false },
    features: { type: "string" },
  },
});
// By default the features that need no vectors: the vector ones (readsVectors) did not lift the
// evaluation and double a request's cost (README, "Learned ranking"); `--features all` takes them.
const chosen =
  args.features === "all"
    ? FEATURES.map((f) => f.name as string)
    : (
        args.features ??
        FEATURES.filter((f) => !readsVectors([f.name]))
          .map((f) => f.name)
          .join(",")
      )
        .split(",")
        .map((f) => f.trim())
        .filter(Boolean);
const unknown = chosen.filter((f) => !FEATURES.some((x) => x.name === f));
if (unknown.length > 0 || chosen.length === 0) {
  console.error(
    `train:ranker: --features takes "all" or a comma-separated subset of ${FEATURES.map((f) => f.name).join(", ")}${unknown.length ? `; unknown: ${unknown.join(", ")}` : ""}`,
  );
  process.exit(2);
}
const keep = (name: string) =>
  chosen.includes(name) && (!args["point-in-time"] || FEATURES.find((f) => f.name === name)!.pointInTime);
const random = seededRandom(Number(args.seed));
const started = performance.now();
const store = await openTrainingStore(
  "train:ranker",
  args.dataset!,
  args.users ? Number(args.users) : undefined,
  args.store,
  config,
  log,
);
try {
  const { users, catalogue, weaviate, ingestSeconds, progress } = store;
  const rowsStarted = performance.now();
  const rows = await trainingRows(
    { weaviate, coldStart: { minComments: 3, minMembers: 3 } },
    users,
    catalogue,
    10,
    random,
    (d, t) => progress("rows", d, t),
  );
  const rowSeconds = (performance.now() - rowsStarted) / 1000;
  const out = resolve(args.out!);
  const manifest = fitRanker(
    rows,
    out,
    config.weaviate.cacheDir,
    log,
    {
      dataset: store.datasetInfo,
      partition: "train",
      seed: Number(args.seed),
      ingestSeconds: Math.round(ingestSeconds),
      rowSeconds: Math.round(rowSeconds),
    },
    keep,
  );
  console.log(
    `train:ranker: ${manifest.rows} rows (${manifest.positives} positive) from ${manifest.users} users; validation mean per-user AUC ${JSON.stringify(manifest.validationMeanUserAuc)}; chose ${manifest.model}`,
  );
  console.log(
    `train:ranker: ingest ${ingestSeconds.toFixed(0)} s, rows ${rowSeconds.toFixed(0)} s, fit ${JSON.stringify(manifest.fitSeconds)} s, refit ${manifest.refitSeconds} s, total ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  console.log(`train:ranker: wrote ${out} and manifest.json`);
  const entry = await registerRankerFile(config.modelRegistryDir, out);
  console.log(
    `train:ranker: registered as ranker ${entry.manifest.id} in ${config.modelRegistryDir}; a running service serves it after activateModel(kind: RANKER, id: "${entry.manifest.id}")`,
  );
} finally {
  await store.close();
}
