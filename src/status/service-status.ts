import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../config/paths.js";
import type { Encoder } from "../embed/encoder.js";
import { storeStatus, type StoreStatus } from "../store/store-status.js";
import type { WeaviateHandle } from "../store/weaviate-connection.js";

export interface ServiceStatus {
  version: string;
  weaviate: StoreStatus;
  encoder: { modelId: string; dimensions: number; executionProvider: string };
}

const packageVersion = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;

export function createStatusService(weaviate: WeaviateHandle, encoder: Encoder) {
  return async (): Promise<ServiceStatus> => ({
    version: packageVersion,
    weaviate: await storeStatus(weaviate),
    encoder: { modelId: encoder.modelId, dimensions: encoder.dim, executionProvider: encoder.provider },
  });
}
