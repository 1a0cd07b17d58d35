import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../platform/paths.js";
import type { Encoder } from "../embed/encoder.js";
import type { ServiceStatus } from "../api/services.js";
import type { RankerStatus } from "../recommend/rank/ranker-setup.js";
import type { RerankStatus } from "../recommend/rerank/rerank-setup.js";
import { storeStatus } from "../store/store-status.js";
import type { WeaviateHandle } from "../store/weaviate-handle.js";

const packageVersion = (
  JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }
).version;

export function createStatusService(
  weaviate: WeaviateHandle,
  encoder: Encoder,
  rerank: RerankStatus,
  ranker: RankerStatus,
) {
  return async (): Promise<ServiceStatus> => ({
    version: packageVersion,
    weaviate: await storeStatus(weaviate),
    encoder: { modelId: encoder.modelId, dimensions: encoder.dim, executionProvider: encoder.provider },
    reranker: { ...rerank, msPerToken: rerank.msPerToken?.() },
    ranker,
  });
}
