import type { Encoder } from "./embed/encoder.js";
import type { Services } from "./graphql/context.js";
import { recommendForUser } from "./recommend/recommendations.js";
import { similarCreators, similarVideos } from "./recommend/similar.js";
import { createIngestRunsService } from "./status/ingest-run-view.js";
import { createStatusService } from "./status/service-status.js";
import { creatorsByIds, videosByIds } from "./store/entity-reads.js";
import type { WeaviateHandle } from "./store/weaviate-connection.js";

/** What the API can do, bound to this process's Weaviate and encoder. */
export function createServices(weaviate: WeaviateHandle, encoder: Encoder): Services {
  return {
    status: createStatusService(weaviate, encoder),
    ingestRuns: createIngestRunsService(weaviate),
    recommend: (req) => recommendForUser(weaviate, req),
    similarVideos: (videoId, first) => similarVideos(weaviate, videoId, first),
    similarCreators: (creatorId, first) => similarCreators(weaviate, creatorId, first),
    videosByIds: (ids) => videosByIds(weaviate, ids),
    creatorsByIds: (ids) => creatorsByIds(weaviate, ids),
  };
}
