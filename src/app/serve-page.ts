import { randomUUID } from "node:crypto";
import type { PageRequest, RecommendationsServed } from "../api/services.js";
import type { ArmAssignment } from "../domain/experiment.js";
import type { EventStore } from "../events/event-store.js";
import type { Logger } from "../platform/logger.js";
import type { Metrics } from "../platform/metrics.js";
import type { RecommendationOutcome, RecommendationRequest } from "../recommend/recommendations.js";

/** The list request for a page: the arm's settings applied over the caller's. */
export function listRequest(req: PageRequest, arm: ArmAssignment | undefined): RecommendationRequest {
  const { offset: _offset, ...base } = req;
  if (!arm) return base;
  const s = arm.settings;
  return {
    ...base,
    rerank: base.rerank && s.rerank !== false,
    maxPerCreator: s.maxPerCreator ?? base.maxPerCreator,
    overrides: {
      arm: `${arm.experimentId}/${arm.arm}`,
      ranker: s.ranker,
      rerankWeight: s.rerankWeight,
      recallSize: s.recallSize,
    },
  };
}

/** The `size` items after the first `offset`, and whether more follow. */
export function cutPage<T>(list: T[], offset: number, size: number): { items: T[]; hasNextPage: boolean } {
  const items = list.slice(offset, offset + size);
  return { items, hasNextPage: offset + items.length < list.length };
}

export interface PageServing {
  store?: EventStore;
  log: Logger;
  metrics: Metrics;
  now: () => Date;
}

/**
 * Cuts the page from the full list and remembers it in the event store under a new servedId. A
 * store that fails costs the page its servedId (the app's events about it will be refused), never
 * the page itself.
 */
export async function servePage(
  env: PageServing,
  req: PageRequest,
  arm: ArmAssignment | undefined,
  outcome: RecommendationOutcome,
): Promise<RecommendationsServed> {
  if (outcome.kind !== "list") return outcome;
  const { items: all, kind: _kind, ...rest } = outcome;
  const { items, hasNextPage } = cutPage(all, req.offset, req.pageSize);
  const page = {
    ...rest,
    kind: "page" as const,
    items,
    hasNextPage,
    experiment: arm && { id: arm.experimentId, arm: arm.arm },
  };
  if (!env.store) return page;
  const servedId = randomUUID();
  try {
    await env.store.recordServedPage({
      servedId,
      userId: req.userId,
      servedAt: env.now(),
      experimentId: arm?.experimentId,
      arm: arm?.arm,
      items: items.map((i, k) => ({ videoId: i.videoId, position: k + 1, sponsored: i.sponsored })),
    });
    return { ...page, servedId };
  } catch (err) {
    env.metrics.count("served_pages_unrecorded_total", {});
    env.log.warn("page served without a servedId: the event store did not take it", { error: String(err) });
    return page;
  }
}
