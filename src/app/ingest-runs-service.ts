import { recentRuns } from "../store/ingest-runs.js";
import type { IngestRunView } from "../api/services.js";
import type { WeaviateHandle } from "../store/weaviate-handle.js";

export function createIngestRunsService(weaviate: WeaviateHandle) {
  return async (limit: number): Promise<IngestRunView[]> =>
    (await recentRuns(weaviate, limit)).map(({ counts, ...run }) => ({
      ...run,
      creators: Number(counts.creators ?? 0),
      videos: Number(counts.videos ?? 0),
      comments: Number(counts.comments ?? 0),
      embedded: Number(counts.embedded ?? 0),
    }));
}
