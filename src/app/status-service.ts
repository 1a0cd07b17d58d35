import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../platform/paths.js";
import type { Encoder } from "../embed/encoder.js";
import type { RankerStatus } from "../recommend/rank/ranker-setup.js";
import { storeStatus, type StoreStatus } from "../store/store-status.js";
import type { WeaviateHandle } from "../store/client/weaviate-connection.js";

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

export interface ServiceStatus {
  version: string;
  weaviate: StoreStatus;
  encoder: { modelId: string; dimensions: number; executionProvider: string };
  reranker: Omit<RerankStatus, "msPerToken"> & { msPerToken?: number };
  ranker: RankerStatus;
}

const packageVersion = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;

export function createStatusService(weaviate: WeaviateHandle, encoder: Encoder, rerank: RerankStatus, ranker: RankerStatus) {
  return async (): Promise<ServiceStatus> => ({
    version: packageVersion,
    weaviate: await storeStatus(weaviate),
    encoder: { modelId: encoder.modelId, dimensions: encoder.dim, executionProvider: encoder.provider },
    reranker: { ...rerank, msPerToken: rerank.msPerToken?.() },
    ranker,
  });
}
