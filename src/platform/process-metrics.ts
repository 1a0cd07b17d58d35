import { collectDefaultMetrics } from "prom-client";
import type { Metrics } from "./metrics.js";

/**
 * prom-client's default Node series at /metrics: process CPU, memory (process_resident_memory_bytes,
 * nodejs_heap_size_used_bytes, nodejs_heap_size_total_bytes, nodejs_external_memory_bytes), file
 * descriptors, event-loop lag, GC and the heap spaces, under the names Prometheus' Node clients use,
 * so a leak shows on the dashboards an operator already has (and bench:load can watch the server
 * under load). Idempotent per registry.
 */
export function describeProcessMetrics(metrics: Metrics): void {
  if (metrics.registry.getSingleMetric("process_resident_memory_bytes")) return;
  collectDefaultMetrics({ register: metrics.registry });
}
