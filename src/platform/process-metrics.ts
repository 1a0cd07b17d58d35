import type { Metrics } from "./metrics.js";

/**
 * The process's memory at /metrics, under the names Prometheus' Node clients use, so a leak shows
 * on the dashboards an operator already has (and bench:load can watch the server under load).
 */
export function describeProcessMetrics(metrics: Metrics): void {
  metrics.describe("process_resident_memory_bytes", "Resident memory of the API process, bytes");
  metrics.describe("nodejs_heap_size_used_bytes", "V8 heap in use, bytes");
  metrics.describe("nodejs_heap_size_total_bytes", "V8 heap reserved, bytes");
  metrics.describe("nodejs_external_memory_bytes", "Memory of C++ objects bound to JS objects (buffers, typed arrays), bytes");
  metrics.gauge("process_resident_memory_bytes", {}, () => process.memoryUsage.rss());
  metrics.gauge("nodejs_heap_size_used_bytes", {}, () => process.memoryUsage().heapUsed);
  metrics.gauge("nodejs_heap_size_total_bytes", {}, () => process.memoryUsage().heapTotal);
  metrics.gauge("nodejs_external_memory_bytes", {}, () => process.memoryUsage().external);
}
