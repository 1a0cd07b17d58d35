import type { Metrics } from "../../platform/metrics.js";
import type { ConcurrencyLimit } from "./concurrency-limit.js";

/** Requests by API key name (never the key) and admission outcome. */
export const KEY_REQUESTS = "api_key_requests_total";

/** Declares the fair-use and overload series; the limiter's state is read when scraped. */
export function describeAdmissionMetrics(metrics: Metrics, limiter?: ConcurrencyLimit): void {
  metrics.describe(
    KEY_REQUESTS,
    "GraphQL operations by API key name and admission outcome: admitted, limited (429, over the key's budget), too_costly (over QUERY_MAX_COST), shed (503, overload)",
  );
  metrics.describe("api_key_points_total", "Query cost points admitted, by API key name");
  if (!limiter) return;
  metrics.describe(
    "api_admission_concurrency_limit",
    "The adaptive limit on expensive operations (recommendations, similar*) in flight",
  );
  metrics.gauge("api_admission_concurrency_limit", {}, () => limiter.limit);
  metrics.describe("api_admission_in_flight", "Expensive operations in flight");
  metrics.gauge("api_admission_in_flight", {}, () => limiter.active);
  metrics.describe(
    "api_admission_queued",
    "Expensive operations waiting for a slot (at most ADMISSION_QUEUE_MS)",
  );
  metrics.gauge("api_admission_queued", {}, () => limiter.queued);
}
