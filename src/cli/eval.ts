/**
 * npm run eval -- [--dataset ../shared/datasets/tiktok-nesc-dev] [--users N] [--store DIR] [--seed 7] [--out eval-report] [--rerank-model file.onnx] [--ranker-model file.onnx]
 * The offline evaluation (src/offline/eval/): a fresh embedded Weaviate, the real encoder, the served
 * pipeline (kept in --store DIR when given, so a rerun skips the embedding). Writes <out>/report.json and a self-contained <out>/report.html, and prints the
 * headline table.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { configOrFail } from "../platform/config/config-or-fail.js";
import { REPO_ROOT } from "../platform/paths.js";
import { createEncoder } from "../embed/encoder.js";
import { modelLayout } from "../embed/model-files.js";
import { renderReportHtml, type EvalReport } from "../offline/eval/report-html.js";
import { NEGATIVE_KINDS } from "../offline/eval/negatives.js";
import { runEvaluation, SCORERS, type ScorerName } from "../offline/eval/run-eval.js";
import { createCrossEncoder } from "../recommend/rerank/cross-encoder.js";
import { loadLearnedRanker } from "../recommend/rank/learned-ranker.js";
import { resolveRerankModel } from "../recommend/rerank/rerank-model.js";
import { applySchema } from "../store/class-schema.js";
import { phaseProgress } from "../platform/progress.js";
import { openKeptWeaviate, openScratchWeaviate } from "../store/scratch-weaviate.js";

const { values: args } = parseArgs({
  options: {
    dataset: { type: "string", default: join(REPO_ROOT, "..", "shared", "datasets", "tiktok-nesc-dev") },
    users: { type: "string" },
    store: { type: "string" },
    seed: { type: "string", default: "7" },
    out: { type: "string", default: "eval-report" },
    "rerank-model": { type: "string" },
    "ranker-model": { type: "string" },
  },
});
const dataset = resolve(args.dataset!);
if (!existsSync(join(dataset, "posts")) || !existsSync(join(dataset, "comments"))) {
  console.error(`eval: ${dataset} is not a TikLiveAPI dump with posts/ and comments/ (pass --dataset <dir>)`);
  process.exit(2);
}
const users = args.users === undefined ? undefined : Number(args.users);
if (users !== undefined && !(Number.isInteger(users) && users > 0)) {
  console.error("eval: --users must be a positive integer");
  process.exit(2);
}
const { config, log } = configOrFail("eval");
const weaviate = args.store
  ? await openKeptWeaviate(
      args.store,
      { dataset, partition: "evaluation", encoder: config.models.variant },
      log,
    )
  : await openScratchWeaviate("eval", log);
const encoder = await createEncoder({ modelsDir: config.models.dir, ...config.models });
const rankerPath = args["ranker-model"] ? resolve(args["ranker-model"]) : config.rankerModel;
const ranker =
  rankerPath !== "off" && existsSync(rankerPath) ? await loadLearnedRanker(rankerPath) : undefined;
const rerankModel = args["rerank-model"]
  ? resolveRerankModel(resolve(args["rerank-model"]), config.models.dir, modelLayout(config.models.dir).dir)
  : undefined;
if (rerankModel && rerankModel.kind !== "ready") {
  console.error(`eval: ${rerankModel.reason}`);
  process.exit(2);
}
// No latency budget offline: every candidate is scored, on every core.
const cross =
  rerankModel?.kind === "ready"
    ? await createCrossEncoder({ ...rerankModel, maxTokens: config.rerank.maxTokens, threads: 0 })
    : undefined;
try {
  await applySchema(weaviate, log);
  const result = await runEvaluation({
    dataset,
    weaviate,
    encoder,
    crossEncoder: cross,
    ranker,
    users,
    seed: Number(args.seed),
    log,
    progress: phaseProgress("eval"),
  });
  const report: EvalReport = {
    command: `npm run eval -- ${process.argv.slice(2).join(" ")}`.trim(),
    generatedAt: new Date().toISOString(),
    dataset: {
      path: dataset,
      manifest: existsSync(join(dataset, "manifest.json"))
        ? JSON.parse(readFileSync(join(dataset, "manifest.json"), "utf8"))
        : null,
    },
    models: {
      encoder: encoder.modelId,
      ranker: ranker?.modelId ?? "fixed blend (no learned ranker; npm run train:ranker)",
      crossEncoder: cross?.modelId ?? "off (no cross-encoder weights offline; pass --rerank-model)",
    },
    config: {
      seed: Number(args.seed),
      users: users ?? "all",
      negativesPerPositive: 10,
      heldOutShare: 0.2,
      minVideos: 5,
      matchedWindowDays: 14,
      crossEncoderMaxTokens: config.rerank.maxTokens,
      coldStartMinComments: 3,
    },
    result,
  };
  const out = resolve(args.out!);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(out, "report.html"), renderReportHtml(report));
  console.log(
    `\neval: ${result.evaluatedUsers} users, ${result.positives} positives, leaked comments ${result.leakedComments}, ingest ${result.ingestSeconds.toFixed(0)} s, scoring ${result.scoreSeconds.toFixed(0)} s`,
  );
  console.log(`| ROC AUC, mean per user | ${NEGATIVE_KINDS.join(" | ")} |\n|---|---|---|---|`);
  for (const name of Object.keys(SCORERS) as ScorerName[]) {
    if (NEGATIVE_KINDS.every((k) => result.auc[name][k] === undefined)) continue; // e.g. the cross-encoder rows without --rerank-model
    console.log(
      `| ${SCORERS[name].label}${result.pointInTime[name] ? "" : " (not point-in-time)"} | ${NEGATIVE_KINDS.map((k) => result.auc[name][k]?.toFixed(3) ?? "–").join(" | ")} |`,
    );
  }
  const t = result.topK;
  console.log(
    `served top-K: recall@10 ${t.withRules.recallAt10?.toFixed(3)}, recall@50 ${t.withRules.recallAt50?.toFixed(3)}, nDCG@10 ${t.withRules.ndcgAt10?.toFixed(3)} (without the quota: ${t.withoutRules.recallAt10?.toFixed(3)} / ${t.withoutRules.recallAt50?.toFixed(3)} / ${t.withoutRules.ndcgAt10?.toFixed(3)}); coverage ${result.coverage.toFixed(3)}; creator Gini ${result.creatorGini.toFixed(3)}`,
  );
  const sp = result.sponsoredSlot;
  console.log(
    `sponsored video in slot ${sp.position} (${sp.users} users): recall@10 ${sp.recallAt10?.toFixed(3)}, nDCG@10 ${sp.ndcgAt10?.toFixed(3)}; loss against the served page: nDCG@10 ${sp.ndcgLossAt10?.toFixed(3)}, recall@10 ${sp.recallLossAt10?.toFixed(3)}`,
  );
  console.log(`eval: wrote ${join(out, "report.json")} and ${join(out, "report.html")}`);
} finally {
  await cross?.dispose();
  await ranker?.dispose();
  await encoder.dispose();
  await weaviate.close();
}
