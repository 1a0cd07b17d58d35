import type { Config } from "../../platform/config/config.js";
import { modelLayout } from "../../embed/model-files.js";
import type { Logger } from "../../platform/logger.js";
import { createCrossEncoder, type CrossEncoder } from "./cross-encoder.js";
import { createRerankQueue } from "./rerank-queue.js";
import { resolveRerankModel } from "./rerank-model.js";
import type { RerankDeps } from "./rerank-stage.js";

/** The cross-encoder stage as configured and as it loaded. */
export interface RerankStatus {
  enabled: boolean;
  modelId?: string;
  executionProvider?: string;
  budgetMs: number;
  /** Why it is off, when it is. */
  reason?: string;
  /** Live estimate of what a padded token costs, in ms. */
  msPerToken?: () => number;
}

/**
 * Loads the configured cross-encoder and its queue, or says why the stage is off. A missing
 * model turns reranking off with a warning (the service still answers); a model that is present
 * but broken is a startup error, since the operator asked for it.
 */
export async function startReranker(
  config: Config,
  log: Logger,
): Promise<{ rerank?: RerankDeps; status: RerankStatus; encoder?: CrossEncoder }> {
  const { budgetMs, maxTokens, batchPairs, threads } = config.rerank;
  const model = resolveRerankModel(
    config.rerank.model,
    config.models.dir,
    modelLayout(config.models.dir).dir,
  );
  if (model.kind !== "ready") {
    if (model.kind === "missing")
      log.warn("rerank off: cross-encoder not available", { reason: model.reason });
    return {
      status: {
        enabled: false,
        budgetMs,
        reason: model.reason,
        modelId: model.kind === "missing" ? model.modelId : undefined,
      },
    };
  }
  const encoder = await createCrossEncoder({
    ...model,
    maxTokens,
    threads,
    provider: config.models.provider,
  });
  const queue = createRerankQueue(encoder, { maxBatchPairs: batchPairs });
  await queue.warmUp(maxTokens);
  const affords = queue.affordable(budgetMs, maxTokens);
  log.info("cross-encoder ready", {
    modelId: encoder.modelId,
    provider: encoder.provider,
    budgetMs,
    msPerToken: Number(queue.stats().msPerToken.toFixed(4)),
    pairsPerBudget: affords,
  });
  return {
    encoder,
    rerank: { queue, settings: { budgetMs, maxTokens, weight: config.rerank.weight } },
    status: {
      enabled: true,
      modelId: encoder.modelId,
      executionProvider: encoder.provider,
      budgetMs,
      msPerToken: () => queue.stats().msPerToken,
    },
  };
}
