import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Metrics } from "../platform/metrics.js";

/** Upper bounds in seconds, from a cache hit to a cross-encoder on a busy CPU. */
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Candidates per request: recall asks for ~200, a CPU reranks a handful. */
const CANDIDATES = [0, 5, 10, 25, 50, 100, 200, 500];

/** Declares the series the service writes; app.ts calls it once. */
export function describeServiceMetrics(metrics: Metrics): void {
  metrics.describe("weaviate_calls_total", "Weaviate query and data calls, by collection and call");
  metrics.describe("weaviate_errors_total", "Weaviate calls that failed, by collection and call");
  metrics.describe(
    "ingest_runs_total",
    "Ingestion runs by outcome: succeeded, partial, failed, refused (one already running)",
  );
  metrics.histogram(
    "graphql_request_duration_seconds",
    "GraphQL requests by operation (the named operations in schema/operations; others are 'other', unnamed 'anonymous') and outcome",
    SECONDS,
  );
  metrics.histogram(
    "recommend_stage_duration_seconds",
    "Stages of recommendations(user): recall, rank, rerank, rules",
    SECONDS,
  );
  metrics.histogram(
    "recommend_candidates",
    "Candidates per recommendations(user) request: recalled, and scored by the cross-encoder",
    CANDIDATES,
  );
}

/**
 * The operation label, from a fixed set so a client cannot mint series: the operation names our
 * documented operations use, "anonymous" for none, "other" for the rest.
 */
export function operationLabeller(known: ReadonlySet<string>) {
  return (name: string | null | undefined): string =>
    !name ? "anonymous" : known.has(name) ? name : "other";
}

/** Operation names declared in the .graphql files of a folder (schema/operations). */
export function operationNames(dir: string): Set<string> {
  const names = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".graphql"))) {
    for (const m of readFileSync(join(dir, file), "utf8").matchAll(
      /^\s*(?:query|mutation|subscription)\s+([_A-Za-z]\w*)/gm,
    ))
      names.add(m[1]!);
  }
  return names;
}
