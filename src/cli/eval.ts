/**
 * npm run eval -- [--dataset ../shared/datasets/tiktok-nesc-dev] [--users N] [--seed 7] [--out eval-report] [--rerank-model file.onnx] [--ranker-model file.onnx]
 * The offline evaluation (src/eval/): a fresh embedded Weaviate, the real encoder, the served
 * pipeline. Writes <out>/report.json and a self-contained <out>/report.html, and prints the
 * headline table.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../config/config.js";
import { REPO_ROOT } from "../config/paths.js";
import { createEncoder } from "../embed/encoder.js";
import { modelLayout } from "../embed/model-files.js";
import { renderReportHtml, type EvalReport } from "../eval/report-html.js";
import { NEGATIVE_KINDS } from "../eval/negatives.js";
import { runEvaluation, SCORERS, type ScorerName } from "../eval/run-eval.js";
import { createLogger } from "../logger.js";
import { createCrossEncoder } from "../rerank/cross-encoder.js";
import { loadLearnedRanker } from "../rank/learned-ranker.js";
import { createRerankQueue } from "../rerank/rerank-queue.js";
import { applySchema } from "../store/class-schema.js";
import { phaseProgress } from "./progress.js";
import { openScratchWeaviate } from "./scratch-weaviate.js";

const { values: args } = parseArgs({
  options: {
    dataset: { type: "string", default: join(REPO_ROOT, "..", "shared", "datasets", "tiktok-nesc-dev") },
    users: { type: "string" },
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
const config = loadConfig();
const log = createLogger("warn");
const weaviate = await openScratchWeaviate("eval", log);
const encoder = await createEncoder({ modelsDir: config.models.dir, ...config.models });
const rankerPath = args["ranker-model"] ? resolve(args["ranker-model"]) : config.rankerModel;
const ranker = rankerPath !== "off" && existsSync(rankerPath) ? await loadLearnedRanker(rankerPath) : undefined;
const cross = args["rerank-model"] ? await createCrossEncoder({ modelPath: resolve(args["rerank-model"]), tokenizerDir: modelLayout(config.models.dir).dir, modelId: `file:${args["rerank-model"]}`, maxTokens: config.rerank.maxTokens, threads: config.rerank.threads }) : undefined;
try {
  await applySchema(weaviate, log);
  const rerank = cross ? { queue: createRerankQueue(cross, { maxBatchPairs: config.rerank.batchPairs }), settings: { budgetMs: config.rerank.budgetMs, maxTokens: config.rerank.maxTokens } } : undefined;
  if (rerank) await rerank.queue.warmUp(config.rerank.maxTokens);
  const result = await runEvaluation({
    dataset,
    weaviate,
    encoder,
    rerank,
    ranker,
    users,
    seed: Number(args.seed),
    log,
    progress: phaseProgress("eval"),
  });
  const report: EvalReport = {
    command: `npm run eval -- ${process.argv.slice(2).join(" ")}`.trim(),
    generatedAt: new Date().toISOString(),
    dataset: { path: dataset, manifest: existsSync(join(dataset, "manifest.json")) ? JSON.parse(readFileSync(join(dataset, "manifest.json"), "utf8")) : null },
    models: { encoder: encoder.modelId, ranker: ranker?.modelId ?? "fixed blend (no learned ranker; npm run train:ranker)", crossEncoder: cross?.modelId ?? "off (no cross-encoder weights offline; pass --rerank-model)" },
    config: { seed: Number(args.seed), users: users ?? "all", negativesPerPositive: 10, heldOutShare: 0.2, minVideos: 5, matchedWindowDays: 14, rerankBudgetMs: config.rerank.budgetMs, coldStartMinComments: 3 },
    result,
  };
  const out = resolve(args.out!);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(out, "report.html"), renderReportHtml(report));
  console.log(`\neval: ${result.evaluatedUsers} users, ${result.positives} positives, leaked comments ${result.leakedComments}, ingest ${result.ingestSeconds.toFixed(0)} s, scoring ${result.scoreSeconds.toFixed(0)} s`);
  console.log(`| ROC AUC, mean per user | ${NEGATIVE_KINDS.join(" | ")} |\n|---|---|---|---|`);
  for (const name of Object.keys(SCORERS) as ScorerName[]) {
    console.log(`| ${SCORERS[name].label}${result.pointInTime[name] ? "" : " (not point-in-time)"} | ${NEGATIVE_KINDS.map((k) => result.auc[name][k]?.toFixed(3) ?? "–").join(" | ")} |`);
  }
  const t = result.topK;
  console.log(`served top-K: recall@10 ${t.withRules.recallAt10?.toFixed(3)}, recall@50 ${t.withRules.recallAt50?.toFixed(3)}, nDCG@10 ${t.withRules.ndcgAt10?.toFixed(3)} (without the quota: ${t.withoutRules.recallAt10?.toFixed(3)} / ${t.withoutRules.recallAt50?.toFixed(3)} / ${t.withoutRules.ndcgAt10?.toFixed(3)}); coverage ${result.coverage.toFixed(3)}; creator Gini ${result.creatorGini.toFixed(3)}`);
  console.log(`eval: wrote ${join(out, "report.json")} and ${join(out, "report.html")}`);
} finally {
  await cross?.dispose();
  await ranker?.dispose();
  await encoder.dispose();
  await weaviate.close();
}
