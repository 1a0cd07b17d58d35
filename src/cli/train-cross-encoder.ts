/**
 * npm run train:cross-encoder -- [--dataset ../shared/datasets/tiktok-nesc-dev] [--users N] [--store DIR] [--seed 7]
 *   [--epochs 3] [--out models/cross-encoder/model.onnx] [--python PATH]
 *   [--pairs-out FILE]       write the training pairs (gzipped JSON lines) and stop
 *   [--checkpoint DIR]       skip training: export a checkpoint tools/train_cross_encoder.py wrote elsewhere
 *
 * Fine-tunes all-MiniLM-L6-v2 as a cross-encoder on our own pairs: the train half of the users,
 * with the evaluation's time split (the same store train:ranker builds), their newest comments as
 * the query and each held-out video (1) or sampled negative of every kind (0) as the document.
 * Needs torch and sentence-transformers (tools/requirements-finetune.txt, an optional extra,
 * installed on first use); a GPU is used when torch sees one. Writes an ONNX model with the
 * standard contract that RERANK_MODEL can name, its tokenizer and manifest.json beside it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { configOrFail } from "../platform/config/config-or-fail.js";
import { fineTunePairs } from "../offline/training/fine-tune-pairs.js";
import {
  exportCrossEncoder,
  fineTuneCrossEncoder,
  writePairs,
  type FineTuneReport,
} from "../offline/training/fine-tune.js";
import { seededRandom } from "../platform/seeded-random.js";
import { openTrainingStore, TRAINING_STORE_OPTIONS } from "../offline/training/training-store.js";
import { registerCrossEncoderFile } from "../recommend/registry/configured-models.js";

const MODEL = "all-MiniLM-L6-v2 fine-tuned as a cross-encoder";
const { config, log } = configOrFail("train:cross-encoder");
const { values: args } = parseArgs({
  options: {
    ...TRAINING_STORE_OPTIONS,
    epochs: { type: "string", default: "3" },
    out: { type: "string", default: join(config.models.dir, "cross-encoder", "model.onnx") },
    python: { type: "string" },
    "pairs-out": { type: "string" },
    checkpoint: { type: "string" },
  },
});
const out = resolve(args.out!);
const started = performance.now();
const seconds = () => Math.round((performance.now() - started) / 1000);
/** Registers what was written (the tokenizer lies beside it), so activateModel can serve it. */
const register = async () => {
  const entry = await registerCrossEncoderFile(config.modelRegistryDir, out, dirname(out));
  console.log(
    `train:cross-encoder: registered as cross-encoder ${entry.manifest.id} in ${config.modelRegistryDir}; a running service serves it after activateModel(kind: CROSS_ENCODER, id: "${entry.manifest.id}")`,
  );
};

if (args.checkpoint) {
  const gap = await exportCrossEncoder(
    resolve(args.checkpoint),
    out,
    { model: MODEL, checkpoint: resolve(args.checkpoint), exportedAt: new Date().toISOString() },
    config.weaviate.cacheDir,
    log,
  );
  console.log(
    `train:cross-encoder: exported ${args.checkpoint} to ${out}; ONNX vs trainer logits max gap ${gap.toExponential(2)} (${seconds()} s)`,
  );
  await register();
  process.exit(0);
}

const store = await openTrainingStore(
  "train:cross-encoder",
  args.dataset!,
  args.users ? Number(args.users) : undefined,
  args.store,
  config,
  log,
);
const work = mkdtempSync(join(tmpdir(), "train-cross-encoder-"));
try {
  const pairsStarted = performance.now();
  const pairs = await fineTunePairs(
    store.weaviate,
    store.users,
    store.catalogue,
    10,
    seededRandom(Number(args.seed)),
    (d, t) => store.progress("pairs", d, t),
  );
  const pairSeconds = Math.round((performance.now() - pairsStarted) / 1000);
  const pairsFile = resolve(args["pairs-out"] ?? join(work, "pairs.jsonl.gz"));
  writePairs(pairs, pairsFile);
  console.log(
    `train:cross-encoder: ${pairs.length} pairs (${pairs.filter((p) => p.label === 1).length} positive) from ${store.users.length} users, ingest ${Math.round(store.ingestSeconds)} s, pairs ${pairSeconds} s`,
  );
  if (args["pairs-out"]) {
    console.log(
      `train:cross-encoder: wrote ${pairsFile}; train elsewhere with tools/train_cross_encoder.py, then export with --checkpoint <dir>`,
    );
  } else {
    const checkpoint = join(work, "checkpoint");
    const report: FineTuneReport = fineTuneCrossEncoder(pairsFile, checkpoint, {
      cacheDir: config.weaviate.cacheDir,
      python: args.python,
      epochs: Number(args.epochs),
      seed: Number(args.seed),
      log,
    });
    const gap = await exportCrossEncoder(
      checkpoint,
      out,
      {
        model: MODEL,
        trainedAt: new Date().toISOString(),
        dataset: store.datasetInfo,
        partition: "train",
        pairs: pairs.length,
        ingestSeconds: Math.round(store.ingestSeconds),
        pairSeconds,
      },
      config.weaviate.cacheDir,
      log,
    );
    console.log(
      `train:cross-encoder: validation mean per-user AUC ${JSON.stringify(report.before)} before, ${JSON.stringify(report.validation)} after (epoch ${report.bestEpoch}, ${report.device}, ${report.trainSeconds} s)`,
    );
    console.log(
      `train:cross-encoder: wrote ${out} and manifest.json in ${seconds()} s (ONNX vs trainer logits max gap ${gap.toExponential(2)}); serve it with RERANK_MODEL=${out}`,
    );
    await register();
  }
} finally {
  await store.close();
  rmSync(work, { recursive: true, force: true });
}
