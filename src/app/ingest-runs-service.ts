import { recentRuns } from "../store/ingest-runs.js";
import type { WeaviateHandle } from "../store/client/weaviate-connection.js";

/** A recorded run, flattened for the API. */
export interface IngestRunView {
  runId: string;
  source: string;
  trigger: string;
  status: string;
  startedAt: Date;
  finishedAt?: Date;
  creators: number;
  videos: number;
  comments: number;
  embedded: number;
  errorCount: number;
  errors: string[];
}

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
