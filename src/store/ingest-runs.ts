import { randomUUID } from "node:crypto";
import { collection } from "./collections/typed-collections.js";
import type { WeaviateHandle } from "./weaviate-handle.js";

export type RunStatus = "running" | "succeeded" | "partial" | "failed" | "interrupted";

export interface IngestRunRecord {
  runId: string;
  source: string;
  trigger: string;
  status: RunStatus;
  startedAt: Date;
  finishedAt?: Date;
  counts: Record<string, unknown>;
  errorCount: number;
  errors: string[];
}

const MAX_ERRORS_KEPT = 50;

/** Records a run as it starts; the returned function records how it ended. */
export async function recordRunStart(handle: WeaviateHandle, source: string, trigger: string) {
  const runId = randomUUID();
  const startedAt = new Date();
  const runs = collection(handle, "IngestRun");
  await runs.data.insert({
    id: runId,
    properties: {
      runId,
      source,
      trigger,
      status: "running",
      startedAt,
      errorCount: 0,
      errors: [],
      countsJson: "{}",
    },
  });
  return async (
    status: Exclude<RunStatus, "running" | "interrupted">,
    counts: Record<string, unknown>,
    errors: string[],
  ) => {
    await runs.data.update({
      id: runId,
      properties: {
        status,
        finishedAt: new Date(),
        countsJson: JSON.stringify(counts),
        errorCount: errors.length,
        errors: errors.slice(0, MAX_ERRORS_KEPT),
      },
    });
    return runId;
  };
}

/**
 * Runs still "running" when a process opens its own embedded store were cut short (kill -9, power
 * loss): nothing else can be writing to that store. Marks them so `ingestRuns` stops showing ghosts.
 */
export async function markInterruptedRuns(handle: WeaviateHandle): Promise<number> {
  const runs = collection(handle, "IngestRun");
  const res = await runs.query.fetchObjects({
    limit: 1000,
    filters: runs.filter.byProperty("status").equal("running"),
  });
  const note = `the process stopped before the run ended (found at startup, ${new Date().toISOString()}); the next run completes it`;
  for (const o of res.objects)
    await runs.data.update({
      id: o.uuid,
      properties: { status: "interrupted", errorCount: 1, errors: [note] },
    });
  return res.objects.length;
}

/** The most recent runs, newest first. */
export async function recentRuns(handle: WeaviateHandle, limit = 20): Promise<IngestRunRecord[]> {
  const runs = collection(handle, "IngestRun");
  const res = await runs.query.fetchObjects({ limit, sort: runs.sort.byProperty("startedAt", false) });
  return res.objects.map((o) => {
    const p = o.properties;
    return {
      runId: String(p.runId),
      source: String(p.source),
      trigger: String(p.trigger),
      status: p.status as RunStatus,
      startedAt: new Date(p.startedAt),
      finishedAt: p.finishedAt ? new Date(p.finishedAt) : undefined,
      counts: JSON.parse(String(p.countsJson ?? "{}")) as Record<string, unknown>,
      errorCount: Number(p.errorCount ?? 0),
      errors: p.errors ?? [],
    };
  });
}
