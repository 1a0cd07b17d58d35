import type { PropertyTypes } from "./property-types.js";

/** An IngestRun object's properties (weaviate/classes/IngestRun.json): one ingestion run. */
export type IngestRunProps = {
  runId: string;
  source: string;
  trigger: string;
  status: string;
  startedAt: Date;
  /** Unset while the run is going on. */
  finishedAt?: Date;
  countsJson: string;
  errorCount: number;
  errors: string[];
};

export const INGEST_RUN_PROPERTIES = {
  runId: "text",
  source: "text",
  trigger: "text",
  status: "text",
  startedAt: "date",
  finishedAt: "date",
  countsJson: "text",
  errorCount: "int",
  errors: "text[]",
} as const satisfies PropertyTypes<IngestRunProps>;
