/**
 * npm run train:encoder -- [--dataset ../shared/datasets/tiktok-nesc-dev] [--store DIR] [--users N] [--seed 7]
 *   [--triplets 3000] [--epochs 1] [--batch-size 16] [--eval-users 150] [--out models/minilm-finetuned]
 *   [--python PATH]
 *   [--triplets-out FILE]    write the triplets (gzipped JSON lines) and stop
 *   [--checkpoint DIR]       skip training: export and evaluate a checkpoint tools/train_encoder.py wrote elsewhere
 *
 * Fine-tunes all-MiniLM-L6-v2 as the bi-encoder on our own pairs: the train half of the users with
 * the evaluation's time split (the store train:ranker builds), their newest comments as the query,
 * each held-out video's document as the positive and a hard negative mined from our own Weaviate
 * index. `--eval-users` of those users (seeded) are held aside: the content signal alone
 * (cosine of query and document, per negative kind) is measured on them before and after.
 * Needs torch and sentence-transformers (tools/requirements-finetune.txt, installed on first use);
 * a GPU is used when torch sees one. Writes an fp32 ONNX encoder laid out like all-MiniLM-L6-v2,
 * checked by our own encoder against the trainer's vectors, that EMBED_MODEL=minilm-finetuned serves.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createEncoder } from "../embed/encoder.js";
import { FINETUNED_NAME } from "../embed/encoder-choice.js";
import { configOrFail } from "../platform/config/config-or-fail.js";
import { seededRandom } from "../platform/seeded-random.js";
import { encoderAuc, encoderEvalSet } from "../offline/training/encoder-eval.js";
import { stageEncoder } from "../offline/training/encoder-export.js";
import { fineTuneEncoder, readEncoderReport, writeTriplets } from "../offline/training/encoder-fine-tune.js";
import { mineTriplets } from "../offline/training/encoder-triplets.js";
import { openTrainingStore, TRAINING_STORE_OPTIONS } from "../offline/training/training-store.js";

const { config, log } = configOrFail("train:encoder");
const { values: args } = parseArgs({
  options: {
    ...TRAINING_STORE_OPTIONS,
    triplets: { type: "string", default: "3000" },
    epochs: { type: "string", default: "1" },
    "batch-size": { type: "string", default: "16" },
    "eval-users": { type: "string", default: "150" },
    "eval-per-positive": { type: "string", default: "5" },
    out: { type: "string", default: join(config.models.dir, FINETUNED_NAME) },
    python: { type: "string" },
    "triplets-out": { type: "string" },
    checkpoint: { type: "string" },
  },
});
const out = resolve(args.out!);
const seed = Number(args.seed);
const started = performance.now();
const since = (t: number) => Math.round((performance.now() - t) / 1000);

const store = await openTrainingStore(
  "train:encoder",
  args.dataset!,
  args.users ? Number(args.users) : undefined,
  args.store,
  config,
  log,
);
const base = await createEncoder({ modelsDir: config.models.dir, ...config.models });
const work = mkdtempSync(join(tmpdir(), "train-encoder-"));
try {
  // Users held aside from the fine-tune (seeded shuffle): the before/after figures come from them.
  const random = seededRandom(seed);
  const shuffled = [...store.users]
    .sort((a, b) => a.userId.localeCompare(b.userId))
    .map((u) => ({ u, k: random() }));
  shuffled.sort((a, b) => a.k - b.k);
  const evalUsers = shuffled.slice(0, Number(args["eval-users"])).map((x) => x.u);
  const trainUsers = shuffled.slice(evalUsers.length).map((x) => x.u);

  const evalSet = await encoderEvalSet(
    store.weaviate,
    evalUsers,
    store.catalogue,
    Number(args["eval-per-positive"]),
    random,
  );
  const mineStarted = performance.now();
  // A checkpoint trained elsewhere brings its triplets' figures in its report: nothing to mine.
  const triplets = args.checkpoint
    ? []
    : await mineTriplets(store.weaviate, base, trainUsers, Number(args.triplets), (d, t) =>
        store.progress("triplets", d, t),
      );
  const mineSeconds = since(mineStarted);
  const tripletsFile = resolve(args["triplets-out"] ?? join(work, "triplets.jsonl.gz"));
  const tripletUsers = new Set(triplets.map((t) => t.user)).size;
  if (!args.checkpoint) {
    writeTriplets(triplets, tripletsFile);
    console.log(
      `train:encoder: ${triplets.length} triplets from ${tripletUsers} users (hard negatives from the index, ${mineSeconds} s)`,
    );
  }
  console.log(`train:encoder: ${evalSet.length} held-out users (not trained on) for the before/after`);
  if (args["triplets-out"]) {
    console.log(
      `train:encoder: wrote ${tripletsFile}; train elsewhere with tools/train_encoder.py, then --checkpoint <dir>`,
    );
  } else {
    const checkpoint = args.checkpoint ? resolve(args.checkpoint) : join(work, "checkpoint");
    const report = args.checkpoint
      ? readEncoderReport(checkpoint)
      : fineTuneEncoder(tripletsFile, checkpoint, {
          cacheDir: config.weaviate.cacheDir,
          python: args.python,
          epochs: Number(args.epochs),
          batchSize: Number(args["batch-size"]),
          seed,
          log,
        });
    const exportStarted = performance.now();
    const staged = await stageEncoder(checkpoint, out, report.probe, config.weaviate.cacheDir, log);
    try {
      console.log(
        `train:encoder: exported ${staged.modelId}; parity with the trainer on ${staged.parity.texts} texts: min cosine ${staged.parity.minCosine}, max abs diff ${staged.parity.maxAbsDiff} (${since(exportStarted)} s)`,
      );
      const evalStarted = performance.now();
      const [before, after] = [await encoderAuc(base, evalSet), await encoderAuc(staged.encoder, evalSet)];
      const evalSeconds = since(evalStarted);
      const { probe: _texts, ...figures } = report; // the probe holds users' comments: not for the manifest
      await staged.publish({
        base: base.modelId,
        trainedAt: new Date().toISOString(),
        ranOn: report.device,
        dataset: store.datasetInfo,
        partition: "train",
        trainUsers: args.checkpoint ? undefined : tripletUsers,
        ...figures,
        timings: {
          ingestSeconds: Math.round(store.ingestSeconds),
          mineSeconds: args.checkpoint ? undefined : mineSeconds,
          trainSeconds: report.trainSeconds,
          evalSeconds,
        },
        heldOutEvaluation: {
          what: "content signal alone: mean per-user AUC of cosine(query, document), positives vs each negative kind",
          users: evalSet.length,
          perPositive: Number(args["eval-per-positive"]),
          before,
          after,
        },
      });
      console.log(
        `train:encoder: held-out mean per-user AUC (content signal alone, ${evalSet.length} users, trained on ${report.device}):`,
      );
      console.log("  kind      before   after");
      for (const kind of ["random", "hard", "matched"] as const)
        console.log(
          `  ${kind.padEnd(8)}  ${before[kind]?.toFixed(4) ?? "-"}   ${after[kind]?.toFixed(4) ?? "-"}`,
        );
      console.log(
        `train:encoder: wrote ${out} in ${since(started)} s; serve it with EMBED_MODEL=${FINETUNED_NAME} (a live store rebuilds into its space)`,
      );
    } catch (err) {
      await staged.discard();
      throw err;
    }
  }
} finally {
  await base.dispose();
  await store.close();
  rmSync(work, { recursive: true, force: true });
}
