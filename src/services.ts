import type { Encoder } from "./embed/encoder.js";
import type { Services } from "./graphql/context.js";
import { recommendForUser, type RecommendationOutcome, type RecommendationRequest } from "./recommend/recommendations.js";
import { createResultCache } from "./recommend/result-cache.js";
import { similarCreators, similarVideos } from "./recommend/similar.js";
import { createIngestRunsService } from "./status/ingest-run-view.js";
import { createStatusService } from "./status/service-status.js";
import { deleteCuration, listCuration, putCuration } from "./store/curation.js";
import { creatorsByIds, videosByIds } from "./store/entity-reads.js";
import type { WeaviateHandle } from "./store/weaviate-connection.js";

/** What the API can do, bound to this process's Weaviate and encoder. */
export function createServices(weaviate: WeaviateHandle, encoder: Encoder, opts: { cacheSeconds?: number } = {}): Services {
  const cache = createResultCache<RecommendationRequest, RecommendationOutcome>((opts.cacheSeconds ?? 0) * 1000);
  return {
    status: createStatusService(weaviate, encoder),
    ingestRuns: createIngestRunsService(weaviate),
    recommend: cache.wrap((req) => recommendForUser(weaviate, req)),
    curation: () => listCuration(weaviate),
    curate: async (entry) => {
      await putCuration(weaviate, entry);
      cache.clear(); // a new blocklist or slot applies to the next request, not in five minutes
    },
    uncurate: async (kind, value) => {
      const removed = await deleteCuration(weaviate, kind, value);
      cache.clear();
      return removed;
    },
    similarVideos: (videoId, first) => similarVideos(weaviate, videoId, first),
    similarCreators: (creatorId, first) => similarCreators(weaviate, creatorId, first),
    videosByIds: (ids) => videosByIds(weaviate, ids),
    creatorsByIds: (ids) => creatorsByIds(weaviate, ids),
  };
}
