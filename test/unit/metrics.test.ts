import assert from "node:assert/strict";
import { it } from "node:test";
import { createMetrics } from "../../src/platform/metrics.js";
import { describeProcessMetrics } from "../../src/platform/process-metrics.js";

/** One sample's value from Prometheus text, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

it("counts a counter under its HELP and TYPE, and value() reads it back", async () => {
  const m = createMetrics();
  m.describe("weaviate_calls_total", "Weaviate query and data calls, by collection and call");
  m.count("weaviate_calls_total", { collection: "Video", call: "query.nearVector" });
  m.count("weaviate_calls_total", { collection: "Video", call: "query.nearVector" }, 2);
  m.count("weaviate_calls_total", { collection: "User", call: "query.fetchObjects" });
  const text = await m.render();
  assert.match(text, /^# HELP weaviate_calls_total Weaviate query and data calls, by collection and call$/m);
  assert.match(text, /^# TYPE weaviate_calls_total counter$/m);
  assert.equal(sample(text, 'weaviate_calls_total{collection="Video",call="query.nearVector"}'), 3);
  assert.equal(sample(text, 'weaviate_calls_total{collection="User",call="query.fetchObjects"}'), 1);
  assert.equal(m.value("weaviate_calls_total", { collection: "Video", call: "query.nearVector" }), 3);
  assert.equal(m.value("weaviate_calls_total", { collection: "Nope", call: "query.nearVector" }), 0);
  assert.equal(m.value("never_counted_total", {}), 0);
});

it("renders a histogram's cumulative buckets, le last, then +Inf, sum and count", async () => {
  const m = createMetrics();
  m.histogram("recommend_candidates", "Candidates per request", [0, 5, 10, 25]);
  for (const v of [0, 3, 7, 100]) m.observe("recommend_candidates", { stage: "recall" }, v);
  const text = await m.render();
  assert.match(text, /^# HELP recommend_candidates Candidates per request$/m);
  assert.match(text, /^# TYPE recommend_candidates histogram$/m);
  const buckets = text.split("\n").filter((l) => l.startsWith("recommend_candidates_bucket"));
  assert.deepEqual(buckets, [
    'recommend_candidates_bucket{stage="recall",le="0"} 1',
    'recommend_candidates_bucket{stage="recall",le="5"} 2',
    'recommend_candidates_bucket{stage="recall",le="10"} 3',
    'recommend_candidates_bucket{stage="recall",le="25"} 3',
    'recommend_candidates_bucket{stage="recall",le="+Inf"} 4',
  ]);
  assert.equal(sample(text, 'recommend_candidates_sum{stage="recall"}'), 110);
  assert.equal(sample(text, 'recommend_candidates_count{stage="recall"}'), 4);
  assert.throws(() => m.observe("undeclared_seconds", {}, 1), /never declared/);
});

it("reads gauges and externally kept counters when scraped, and keeps declarations idempotent", async () => {
  const m = createMetrics();
  let runs = 2;
  m.gauge("rerank_enabled", { model: "m", provider: "none" }, () => 0);
  m.gauge("rerank_runs_total", {}, () => runs, "counter");
  m.histogram("x_seconds", "x", [1]);
  m.histogram("x_seconds", "x", [1]); // describeServiceMetrics runs twice when app.ts makes the services
  let text = await m.render();
  assert.match(text, /^rerank_enabled\{model="m",provider="none"\} 0$/m);
  assert.match(text, /^# TYPE rerank_runs_total counter$/m);
  assert.equal(sample(text, "rerank_runs_total"), 2);
  runs = 5;
  text = await m.render();
  assert.equal(sample(text, "rerank_runs_total"), 5);
  assert.ok(!text.includes("x_seconds"), "a histogram shows once observed");
});

it("keeps two instances independent (no global registry)", async () => {
  const a = createMetrics();
  const b = createMetrics();
  a.count("ingest_runs_total", { outcome: "succeeded" });
  b.count("ingest_runs_total", { outcome: "succeeded" }, 4);
  b.histogram("h_seconds", "h", [1]);
  b.observe("h_seconds", {}, 0.5);
  assert.equal(sample(await a.render(), 'ingest_runs_total{outcome="succeeded"}'), 1);
  assert.equal(sample(await b.render(), 'ingest_runs_total{outcome="succeeded"}'), 4);
  assert.ok(!(await a.render()).includes("h_seconds"));
  assert.equal(a.value("ingest_runs_total", { outcome: "succeeded" }), 1);
});

it("adds the default process series (memory, heap, CPU, event loop, GC) to the instance's registry", async () => {
  const m = createMetrics();
  describeProcessMetrics(m);
  describeProcessMetrics(m); // idempotent
  const other = createMetrics();
  describeProcessMetrics(other); // a second registry in the same process is fine
  const text = await m.render();
  const rss = sample(text, "process_resident_memory_bytes")!;
  assert.ok(rss > 1e6 && rss < 1e12, `resident memory ${rss}`);
  assert.match(text, /^# TYPE process_resident_memory_bytes gauge$/m);
  assert.match(text, /^process_resident_memory_bytes \d+$/m); // bench/harness/memory-watch.ts reads it so
  const used = sample(text, "nodejs_heap_size_used_bytes")!;
  assert.ok(used > 1e5 && used <= sample(text, "nodejs_heap_size_total_bytes")!);
  assert.ok(sample(text, "nodejs_external_memory_bytes")! >= 0);
  for (const name of [
    "process_cpu_user_seconds_total",
    "nodejs_eventloop_lag_seconds",
    "nodejs_gc_duration_seconds",
  ]) {
    assert.match(text, new RegExp(`^# TYPE ${name} `, "m"), name);
  }
  assert.equal(
    sample(await createMetrics().render(), "process_resident_memory_bytes"),
    undefined,
    "only where asked for",
  );
});
