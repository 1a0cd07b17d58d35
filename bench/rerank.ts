/**
 * npm run bench:rerank -- [--runs 5] [--dataset ../shared/datasets/tiktok-nesc-dev]
 * Cross-encoder rerank time for 50 and 200 candidates with the real architecture
 * (ms-marco-MiniLM-L-6-v2's 6 layers, 384 hidden; random weights: timings are honest, scores
 * are not), pairs of at most RERANK_MAX_TOKENS, on each provider onnxruntime-node offers here.
 * Also prints how many pairs the configured budget affords one request on an idle machine.
 * Saves ms per pair per core (200 candidates, RERANK_THREADS) and those pairs for `npm run cost`.
 */
import { existsSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { configOrFail } from "../src/platform/config/config-or-fail.js";
import { REPO_ROOT } from "../src/platform/paths.js";
import { cudaProviderInstalled } from "../src/embed/execution-provider.js";
import { EMBEDDING_DIM, modelLayout } from "../src/embed/model-files.js";
import { loadLearnedRanker } from "../src/recommend/rank/learned-ranker.js";
import { rankedItems } from "../src/recommend/rank/ranked-items.js";
import {
  MAX_ENGAGED_VECTORS,
  readsEngagedVectors,
  readsVectors,
} from "../src/recommend/rank/ranking-features.js";
import { createCrossEncoder } from "../src/recommend/rerank/cross-encoder.js";
import { randomCrossEncoder } from "../src/offline/training/random-cross-encoder.js";
import { createRerankQueue } from "../src/recommend/rerank/rerank-queue.js";
import { saveFigures } from "./harness/bench-figures.js";
import { benchTexts } from "./harness/bench-texts.js";
import { seededRandom } from "../src/platform/seeded-random.js";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    dataset: { type: "string", default: join(REPO_ROOT, "..", "shared", "datasets", "tiktok-nesc-dev") },
  },
});
const { config, log } = configOrFail("bench:rerank");
const modelPath = randomCrossEncoder(config.weaviate.cacheDir, "minilm", log);
const providers = cudaProviderInstalled() ? (["cuda", "cpu"] as const) : (["cpu"] as const);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const saved: string[] = [];

console.log(
  `rerank: random-weight cross-encoder with ms-marco-MiniLM-L-6-v2's architecture, pairs cut to ${config.rerank.maxTokens} tokens, batches of ${config.rerank.batchPairs}, median of ${args.runs} runs`,
);
if (providers.length === 1)
  console.log(
    "(no CUDA provider in onnxruntime-node here: CPU only; on a GPU machine run npm run provision -- --cuda and start with the LD_LIBRARY_PATH it prints, docs/gpu.md)",
  );
console.log("| provider | threads | candidates | median ms | pairs/s | budget affords |");
console.log("|---|---|---|---|---|---|");
// The configured thread count, and onnxruntime's own choice (all cores) for comparison.
const variants = providers.flatMap((provider) =>
  [...new Set([config.rerank.threads, 0])].map((threads) => ({ provider, threads })),
);
for (const { provider, threads } of variants) {
  const encoder = await createCrossEncoder({
    modelPath,
    tokenizerDir: modelLayout(config.models.dir).dir,
    modelId: "random-minilm",
    maxTokens: config.rerank.maxTokens,
    threads,
    provider,
  });
  const queue = createRerankQueue(encoder, { maxBatchPairs: config.rerank.batchPairs });
  await queue.warmUp(config.rerank.maxTokens);
  const texts = benchTexts(args.dataset, (t) => encoder.tokens(t).length + 2, 400);
  const query = encoder.tokens(texts.mixed.slice(0, 5).join(" "));
  for (const n of [50, 200]) {
    const pairs = texts.long.slice(0, n).map((doc) => encoder.pair(query, encoder.tokens(doc)));
    const times: number[] = [];
    for (let r = 0; r < Number(args.runs); r++) {
      const started = performance.now();
      const scores = await queue.score(pairs, Number.POSITIVE_INFINITY);
      times.push(performance.now() - started);
      if (scores.length !== n) throw new Error(`scored ${scores.length} of ${n}`);
    }
    const ms = median(times);
    const affords = queue.affordable(config.rerank.budgetMs, config.rerank.maxTokens);
    // For `npm run cost`: 200 candidates at the configured threads (as served), per core.
    if (n === 200 && threads === config.rerank.threads) {
      const cores = threads || cpus().length;
      const figures = {
        msPerPair: (ms / n) * (encoder.provider === "cuda" ? 1 : cores),
        pairsPerSecond: (n / ms) * 1000,
        cores,
        threads,
        candidates: n,
        medianMs: ms,
        pairsAfforded: affords,
        budgetMs: config.rerank.budgetMs,
        maxTokens: config.rerank.maxTokens,
      };
      saved.push(saveFigures(encoder.provider === "cuda" ? "bench:rerank:cuda" : "bench:rerank", figures));
    }
    console.log(
      `| ${encoder.provider} | ${threads || "auto"} | ${n} | ${ms.toFixed(1)} | ${((n / ms) * 1000).toFixed(0)} | ${affords} pairs in ${config.rerank.budgetMs} ms |`,
    );
  }
  await encoder.dispose();
}

if (saved.length > 0) console.log(`\nfigures for npm run cost: ${saved.join(", ")}`);

// The learned ranker (no cross-encoder): features and model over 200 candidates, when one is trained.
if (config.rankerModel !== "off" && existsSync(config.rankerModel)) {
  const ranker = await loadLearnedRanker(config.rankerModel);
  const day = 86_400_000;
  const random = seededRandom(7);
  const vector = () => Array.from({ length: EMBEDDING_DIM }, () => random() - 0.5);
  const candidates = Array.from({ length: 200 }, (_, i) => ({
    uuid: `u${i}`,
    videoId: `v${i}`,
    creatorId: `c${i % 9}`,
    distance: (i % 50) / 100,
    createdAt: new Date(i * day),
    playCount: i * 10,
    commentCount: i,
    language: i % 3 ? "en" : "es",
    vector: vector(),
  }));
  // A user at the cap of the best-single-video feature: the most work features can take.
  const context = {
    affinity: new Map([["c1", 0.5]]),
    lastActiveAt: new Date(100 * day),
    commentVector: vector(),
    videoVector: vector(),
    engagedVectors: Array.from({ length: MAX_ENGAGED_VECTORS }, vector),
    languageShare: new Map([["en", 0.8]]),
  };
  const time = async (
    rows: typeof candidates,
    ctx: Omit<typeof context, "commentVector" | "videoVector" | "engagedVectors"> & Partial<typeof context>,
  ) => {
    const times: number[] = [];
    for (let r = 0; r < 200; r++) {
      const started = performance.now();
      await rankedItems(rows, ctx, ranker);
      times.push(performance.now() - started);
    }
    return median(times.slice(20)).toFixed(2);
  };
  // As served: vectors are fetched only for a ranker that reads them (recommendations.ts).
  const { commentVector: _c, videoVector: _v, engagedVectors: _e, ...withoutVectors } = context;
  const { engagedVectors: _engaged, ...withoutEngaged } = context;
  const served = readsVectors(ranker.features)
    ? await time(candidates, readsEngagedVectors(ranker.features) ? context : withoutEngaged)
    : await time(
        candidates.map(({ vector: _, ...c }) => c as (typeof candidates)[number]),
        withoutVectors,
      );
  console.log(
    `\nlearned ranker ${ranker.modelId} (${ranker.features.length} features${readsVectors(ranker.features) ? ", vectors read" : ", no vectors"}${ranker.pairScorer ? ", pair scorer" : ""}): 200 candidates as served (blend, features, ${ranker.pairScorer ? "pair scorer, " : ""}model), median ${served} ms over 180 runs`,
  );
  console.log(
    `every feature computed, vectors and ${MAX_ENGAGED_VECTORS} engaged videos included (training, the evaluation, or a ranker trained with --features all): median ${await time(candidates, context)} ms`,
  );
  await ranker.dispose();
} else {
  console.log("\nlearned ranker: none trained (npm run train:ranker), so no timing");
}
