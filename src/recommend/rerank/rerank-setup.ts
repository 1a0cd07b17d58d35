import type { Config } from "../../platform/config/config.js";
import type { Logger } from "../../platform/logger.js";
import type { CrossEncoder } from "./cross-encoder.js";
import { createRerankQueue } from "./rerank-queue.js";
import { createRerankScoreCache } from "./rerank-score-cache.js";
import type { RerankDeps } from "./rerank-stage.js";

/** The cross-encoder stage as configured and as it loaded; model-serving.ts keeps it current across activations. */
export interface RerankStatus {
  enabled: boolean;
  /** The registry id of the serving cross-encoder (or the configured one, when it is off). */
  modelId?: string;
  executionProvider?: string;
  /** Why that provider: CUDA's node placement, or why CUDA does not serve (embed/execution-provider.ts). */
  executionProviderReason?: string;
  budgetMs: number;
  /** Why it is off, when it is. */
  reason?: string;
  /** Live estimate of what a padded token costs, in ms. */
  msPerToken?: () => number;
}

/**
 * The stage around a loaded cross-encoder: its own queue, warmed up so that the cost estimate
 * starts from this machine's figure (an activation does this before the swap, so the first
 * requests on the new model are budgeted right).
 */
export async function rerankStage(
  encoder: CrossEncoder,
  settings: Config["rerank"],
  log: Logger,
): Promise<RerankDeps> {
  const { budgetMs, maxTokens, batchPairs, weight, cachePairs, cacheSeconds } = settings;
  const queue = createRerankQueue(encoder, { maxBatchPairs: batchPairs });
  await queue.warmUp(maxTokens);
  log.info("cross-encoder ready", {
    modelId: encoder.modelId,
    provider: encoder.provider,
    providerReason: encoder.providerReason,
    budgetMs,
    msPerToken: Number(queue.stats().msPerToken.toFixed(4)),
    pairsPerBudget: queue.affordable(budgetMs, maxTokens),
  });
  const cache = cachePairs > 0 ? createRerankScoreCache(cachePairs, cacheSeconds * 1000) : undefined;
  return { queue, settings: { budgetMs, maxTokens, weight }, cache };
}

/** RerankStatus for what serves now (`rerank` undefined: the stage is off, for `reason`). */
export function rerankStatusOf(
  budgetMs: number,
  rerank: RerankDeps | undefined,
  id: string | undefined,
  reason?: string,
): RerankStatus {
  if (!rerank) return { enabled: false, budgetMs, reason, modelId: id };
  return {
    enabled: true,
    modelId: id,
    executionProvider: rerank.queue.encoder.provider,
    executionProviderReason: rerank.queue.encoder.providerReason,
    budgetMs,
    msPerToken: () => rerank.queue.stats().msPerToken,
  };
}
