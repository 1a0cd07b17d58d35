import type { Config } from "../../platform/config/config.js";
import type { Logger } from "../../platform/logger.js";
import type { IngestRunner } from "../ingest-runner.js";
import type { TikTokSource } from "../sources/source.js";

export interface TriggerOutcome {
  started: boolean;
  message: string;
}

/**
 * An admin's "ingest now": starts a full run (profiles, posts, comments) of the tracked creators
 * in the background and answers at once; the run shows in `ingestRuns` like a scheduled one.
 */
export function createIngestTrigger(
  runner: IngestRunner,
  makeSource: (() => TikTokSource) | undefined,
  cfg: Config["ingest"],
  log: Logger,
) {
  return async (by: string): Promise<TriggerOutcome> => {
    if (!makeSource || cfg.creators.length === 0)
      return {
        started: false,
        message: "no creators to ingest: set TIKLIVE_BASE_URL, TIKLIVE_API_KEY and INGEST_CREATORS",
      };
    if (runner.busy())
      return { started: false, message: "an ingestion run is already in progress; see ingestRuns" };
    runner
      .run(makeSource(), cfg.creators, {
        trigger: `admin:${by}`,
        postsPerCreator: cfg.postsPerCreator,
        commentsPerVideo: cfg.commentsPerVideo,
      })
      .catch((err: Error) => log.error("admin-triggered ingestion failed", { by, error: err.message }));
    return { started: true, message: `ingesting ${cfg.creators.length} creators; see ingestRuns` };
  };
}
