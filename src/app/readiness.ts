import type { Encoder } from "../embed/encoder.js";
import type { RankerStatus } from "../recommend/rank/ranker-setup.js";
import { storeReady } from "../store/store-status.js";
import type { WeaviateHandle } from "../store/weaviate-handle.js";
import type { Check, Readiness } from "../api/services.js";
import type { RerankStatus } from "../recommend/rerank/rerank-setup.js";
import type { EventStore } from "../events/event-store.js";
import { eventsStatus } from "./status-service.js";

const ENCODER_PROBE_MS = 5_000;

/**
 * What /health/ready reports. Weaviate and the encoder are required: without either no request
 * can be answered. The cross-encoder and the learned ranker are optional: without them the
 * service ranks by the fixed blend, which is worth saying but not worth taking it out of rotation.
 * The event store is optional in the same way: without it pages are served without a servedId.
 */
export function readinessCheck(deps: {
  weaviate: WeaviateHandle;
  encoder: Encoder;
  rerank: RerankStatus;
  ranker: RankerStatus;
  events?: EventStore;
}) {
  return async (): Promise<Readiness> => {
    const [weaviate, encoder] = await Promise.all([
      storeReady(deps.weaviate).then((ok): Check =>
        ok
          ? { ok }
          : { ok, detail: `Weaviate at ${deps.weaviate.restUrl} does not answer /v1/.well-known/ready` },
      ),
      probeEncoder(deps.encoder),
    ]);
    const reranker: Check = deps.rerank.enabled
      ? { ok: true, detail: deps.rerank.modelId }
      : { ok: false, detail: `off: ${deps.rerank.reason ?? "not configured"}` };
    const ranker: Check =
      deps.ranker.kind === "learned"
        ? { ok: true, detail: deps.ranker.modelId }
        : { ok: false, detail: `fixed blend: ${deps.ranker.reason ?? "no learned ranker"}` };
    const events = await eventsCheck(deps.events);
    const optional = reranker.ok && ranker.ok && events.ok;
    const status = !weaviate.ok || !encoder.ok ? "not ready" : optional ? "ready" : "degraded";
    return { status, checks: { weaviate, encoder, reranker, ranker, events } };
  };
}

async function eventsCheck(store: EventStore | undefined): Promise<Check> {
  const { mode, ok, detail } = await eventsStatus(store);
  return { ok, detail: mode === "off" ? `off: ${detail}` : ok ? mode : detail };
}

/** One short text through the real encoder: a dead or wedged worker shows here, not in a user's request. */
async function probeEncoder(encoder: Encoder): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) =>
      (timer = setTimeout(() => reject(new Error(`no answer in ${ENCODER_PROBE_MS} ms`)), ENCODER_PROBE_MS)),
  );
  try {
    const [vector] = await Promise.race([encoder.embed(["ready"]), timeout]);
    return vector?.length === encoder.dim
      ? { ok: true, detail: encoder.modelId }
      : {
          ok: false,
          detail: `encoder returned a vector of ${vector?.length} dimensions, not ${encoder.dim}`,
        };
  } catch (err) {
    return { ok: false, detail: `encoder ${encoder.modelId} failed: ${(err as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}
