import type { Encoder } from "../embed/encoder.js";
import type { Logger } from "../platform/logger.js";
import { recordRunStart } from "../store/ingest-runs.js";
import { tryRecordStoreContents } from "../store/server/store-marker.js";
import type { WeaviateHandle } from "../store/weaviate-handle.js";
import { emptyCounts, type IngestCounts } from "./ingest-counts.js";
import { ingestCreators, type IngestOptions } from "./pipeline.js";
import type { TikTokSource } from "./sources/source.js";
import { TikTokReader } from "./sources/tiktok-reader.js";
import { ErrorCode, ServiceError } from "../platform/errors.js";

export interface RunOutcome {
  runId: string;
  status: "succeeded" | "partial";
  counts: IngestCounts;
  seconds: number;
}

/** Thrown when a run is asked for while another one is running in this process. */
export class RunInProgressError extends ServiceError {
  constructor() {
    super(ErrorCode.RunInProgress, "an ingestion run is already in progress; runs never overlap");
  }
}

/**
 * Runs ingestion one run at a time in this process, and records each run (start, end, counts,
 * errors) in Weaviate's IngestRun class, where the admin API reads them.
 */
export function createIngestRunner(deps: {
  weaviate: WeaviateHandle;
  encoder: Encoder;
  log: Logger;
  onRunEnd?: (outcome: "succeeded" | "partial" | "failed" | "refused") => void;
}) {
  let busy = false;
  return {
    busy: () => busy,
    async run(
      source: TikTokSource,
      usernames: string[],
      opts: IngestOptions & { trigger: string },
    ): Promise<RunOutcome> {
      if (busy) {
        deps.onRunEnd?.("refused");
        throw new RunInProgressError();
      }
      busy = true;
      const started = Date.now();
      const reader = new TikTokReader(source, deps.log);
      try {
        const finish = await recordRunStart(deps.weaviate, source.name, opts.trigger);
        let counts = emptyCounts();
        try {
          counts = await ingestCreators({ ...deps, reader }, usernames, opts);
        } catch (err) {
          counts.errors.push(`run failed: ${(err as Error).message}`);
          await finish("failed", summary(counts), counts.errors).catch((e: Error) =>
            deps.log.error("could not record the failed run", { error: e.message }),
          );
          deps.onRunEnd?.("failed");
          throw err;
        }
        const status = counts.errors.length > 0 || counts.failedWrites > 0 ? "partial" : "succeeded";
        const runId = await finish(status, summary(counts), counts.errors);
        await tryRecordStoreContents(deps.weaviate, `ingestion run ${runId}`, deps.log); // a later kill -9 cannot hide this run's data
        deps.onRunEnd?.(status);
        const seconds = (Date.now() - started) / 1000;
        deps.log.info("ingestion run finished", { runId, status, seconds, ...summary(counts) });
        return { runId, status, counts, seconds };
      } finally {
        busy = false;
      }
    },
  };
}

export type IngestRunner = ReturnType<typeof createIngestRunner>;

const summary = ({ errors: _errors, ...rest }: IngestCounts) => rest;
