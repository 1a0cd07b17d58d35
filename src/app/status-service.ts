import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../platform/paths.js";
import type { Encoder } from "../embed/encoder.js";
import type { ServiceStatus } from "../api/services.js";
import type { RankerStatus } from "../recommend/rank/ranker-setup.js";
import type { RerankStatus } from "../recommend/rerank/rerank-setup.js";
import { storeStatus } from "../store/store-status.js";
import type { WeaviateHandle } from "../store/weaviate-handle.js";
import type { EventStore } from "../events/event-store.js";
import type { ExperimentsService } from "./experiments-service.js";

const packageVersion = (
  JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }
).version;

export function createStatusService(
  weaviate: WeaviateHandle,
  encoder: Encoder,
  rerank: RerankStatus,
  ranker: RankerStatus,
  events?: EventStore,
  experiments?: ExperimentsService,
) {
  return async (): Promise<ServiceStatus> => ({
    version: packageVersion,
    weaviate: await storeStatus(weaviate),
    encoder: {
      modelId: encoder.modelId,
      dimensions: encoder.dim,
      executionProvider: encoder.provider,
      executionProviderReason: encoder.providerReason,
    },
    reranker: { ...rerank, msPerToken: rerank.msPerToken?.() },
    ranker,
    events: await eventsStatus(events),
    experiment: runningExperiment(experiments),
  });
}

/** Whether the event store answers now; readiness reports the same probe. */
export async function eventsStatus(store: EventStore | undefined): Promise<ServiceStatus["events"]> {
  if (!store) return { mode: "off", ok: false, detail: "EVENTS_DATABASE_URL=off" };
  try {
    await store.ping();
    return { mode: store.mode, ok: true };
  } catch (err) {
    return { mode: store.mode, ok: false, detail: (err as Error).message };
  }
}

function runningExperiment(experiments: ExperimentsService | undefined): ServiceStatus["experiment"] {
  const running = experiments?.running();
  return running && { id: running.id, arms: running.arms.map((a) => a.name) };
}
