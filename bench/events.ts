/**
 * npm run bench:events -- [--seconds 20] [--runs 3] [--clients 4] [--pages 300] [--batch 500]
 *   [--click-rate 0.05] [--events 10000000] [--users 100000] [--days 14] [--generate direct|append]
 *   [--skip-report] [--json]
 * The event path's capacity, on the real server (`node dist/src/main.js`, the demo catalogue, its
 * embedded event store, an admin key, an experiment running so every event rolls up):
 *   (a) recordEvents over HTTP: --clients closed-loop writers send batches of --batch realistic
 *       events (an impression of each page's positions, ~5% of positions clicked, a dwell per
 *       click) about --pages served pages for --seconds, --runs times: events/s (median run) and
 *       per-batch p50/p95;
 *   (b) EventStore.appendEvents straight on the same database, the same batches, 1 and 2 writers;
 *   (c) the admin report over --events events of one experiment, generated inside PostgreSQL into
 *       the store's tables (pages by INSERT ... SELECT generate_series; events copied from their
 *       pages with the rollups summed by the append statement's own rollup clauses, or with
 *       --generate append every event through the whole append statement), then
 *       aggregates + buildExperimentReport timed (and the GraphQL experimentReport query, when the
 *       schema has it).
 * Prints a table (or JSON with --json) and the machine's load average before and after.
 */
import { loadavg } from "node:os";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Experiment } from "../src/domain/experiment.js";
import { openEventStore } from "../src/events/event-store.js";
import { buildExperimentReport } from "../src/experiments/experiment-report.js";
import { configOrFail } from "../src/platform/config/config-or-fail.js";
import { REPO_ROOT } from "../src/platform/paths.js";
import { batchMaker, eventInput } from "./harness/event-batches.js";
import { driveBatches, medianRun, type BatchRun } from "./harness/batch-driver.js";
import { bulkGenerate, type BulkMode } from "./harness/event-bulk.js";
import { servePages, startEventsServer, startExperiment } from "./harness/events-server.js";
import { postGraphQL } from "./harness/load-driver.js";
import { timeGraphQLReport } from "./harness/report-timing.js";

const { values: args } = (() => {
  try {
    return parseArgs({
      options: {
        seconds: { type: "string", default: "20" },
        runs: { type: "string", default: "3" },
        clients: { type: "string", default: "4" },
        pages: { type: "string", default: "300" },
        batch: { type: "string", default: "500" },
        events: { type: "string", default: "10000000" },
        users: { type: "string", default: "100000" },
        days: { type: "string", default: "14" },
        "click-rate": { type: "string", default: "0.05" },
        generate: { type: "string", default: "direct" },
        "skip-report": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
      },
    });
  } catch (err) {
    console.error(`bench:events: ${(err as Error).message}`);
    process.exit(2);
  }
})();
const positive = (name: keyof typeof args) => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`bench:events: --${name} must be a positive integer, got ${JSON.stringify(args[name])}`);
    process.exit(2);
  }
  return n;
};
const [seconds, runs, clients, pageCount, batchSize, eventCount, users, days] = (
  ["seconds", "runs", "clients", "pages", "batch", "events", "users", "days"] as const
).map(positive) as [number, number, number, number, number, number, number, number];

const clickRate = Number(args["click-rate"]);
if (!(clickRate >= 0 && clickRate <= 1)) {
  console.error(
    `bench:events: --click-rate must be within [0, 1], got ${JSON.stringify(args["click-rate"])}`,
  );
  process.exit(2);
}
if (args.generate !== "direct" && args.generate !== "append") {
  console.error(`bench:events: --generate must be direct or append, got ${JSON.stringify(args.generate)}`);
  process.exit(2);
}
const generateMode: BulkMode = args.generate;
const say = (line: string) => process.stderr.write(`${line}\n`);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
const { log } = configOrFail("bench:events");
const loadBefore = load();
const eventsOp = readFileSync(join(REPO_ROOT, "schema", "operations", "events.graphql"), "utf8");

const env = await startEventsServer(log);
let exitCode = 0;
try {
  const { server, headers } = env;
  say(`server: ${server.url} (pid ${server.pid}); event store ${env.pgUrl.replace(/:[^:@/]+@/, ":***@")}`);
  await startExperiment(server.url, headers, "bench-events-live");
  const pages = await servePages(server.url, headers, pageCount);
  say(`served ${pages.length} pages with a servedId (${pages.reduce((n, p) => n + p.items, 0)} items)`);

  // (a) recordEvents over HTTP, after a few unmeasured seconds (JIT, pool connections, Weaviate).
  const warm = batchMaker(pages, { size: batchSize, clickRate, seed: 5, prefix: "warm" });
  await driveBatches((i) => sendBatch(server.url, headers, warm(), i), clients, Math.min(5, seconds));
  const http: BatchRun[] = [];
  for (let r = 0; r < runs; r++) {
    const next = batchMaker(pages, { size: batchSize, clickRate, seed: 11 + r, prefix: `http${r}` });
    http.push(await driveBatches((i) => sendBatch(server.url, headers, next(), i), clients, seconds));
    say(`recordEvents run ${r + 1}: ${fmtRun(http.at(-1)!)}`);
  }

  // (b) the store's own ingest rate, on the server's database.
  const store = await openEventStore({ url: env.pgUrl, dataDir: "", retentionDays: 90, log });
  const direct: Record<number, BatchRun[]> = { 1: [], 2: [] };
  try {
    for (const writers of [1, 2]) {
      for (let r = 0; r < runs; r++) {
        const next = batchMaker(pages, {
          size: batchSize,
          clickRate,
          seed: 31 + r,
          prefix: `direct${writers}-${r}`,
        });
        direct[writers]!.push(await driveBatches((i) => appendBatch(store, next(), i), writers, seconds));
        say(`appendEvents, ${writers} writer(s), run ${r + 1}: ${fmtRun(direct[writers]!.at(-1)!)}`);
      }
    }

    // (c) the report over many stored events.
    let report: Awaited<ReturnType<typeof timeReport>> | undefined;
    if (!args["skip-report"]) report = await timeReport(store, server.url, headers);
    const result = {
      command: `npm run bench:events -- ${process.argv.slice(2).join(" ")}`.trim(),
      loadBefore,
      loadAfter: load(),
      servedPages: pages.length,
      batchSize,
      clickRate,
      recordEvents: { clients, seconds, runs: http, median: medianRun(http) },
      appendEvents: Object.fromEntries(
        Object.entries(direct).map(([w, rs]) => [w, { runs: rs, median: medianRun(rs) }]),
      ),
      report,
    };
    if (args.json) console.log(JSON.stringify(result, null, 2));
    else printTables(result);
    if (result.recordEvents.median.failed > 0) exitCode = 1;
  } finally {
    await store.close();
  }
} catch (err) {
  console.error(`bench:events: ${(err as Error).stack ?? err}`);
  exitCode = 1;
} finally {
  await env.stop();
}
process.exit(exitCode);

async function sendBatch(
  url: string,
  headers: Record<string, string>,
  batch: ReturnType<ReturnType<typeof batchMaker>>,
  _i: number,
) {
  let accepted = 0;
  const s = await postGraphQL(
    url,
    { query: eventsOp, operationName: "RecordEvents", variables: { events: batch.map(eventInput) } },
    (data) => {
      const r = data.recordEvents;
      accepted = r?.accepted ?? 0;
      return r?.refused
        ? { error: `${r.refused} refused: ${r.outcomes?.find((o: { reason?: string }) => o.reason)?.reason}` }
        : {};
    },
    { headers },
  );
  return { ms: s.ms, ok: s.ok, error: s.error, accepted, sent: batch.length };
}

async function appendBatch(
  store: Awaited<ReturnType<typeof openEventStore>>,
  batch: ReturnType<ReturnType<typeof batchMaker>>,
  _i: number,
) {
  const started = performance.now();
  try {
    const outcomes = await store.appendEvents("bench-direct", batch);
    const refused = outcomes.filter((o) => o.status === "refused").length;
    const accepted = outcomes.filter((o) => o.status === "accepted").length;
    return {
      ms: performance.now() - started,
      ok: refused === 0,
      error: refused ? `${refused} refused` : undefined,
      accepted,
      sent: batch.length,
    };
  } catch (err) {
    return {
      ms: performance.now() - started,
      ok: false,
      error: (err as Error).message.slice(0, 160),
      accepted: 0,
      sent: batch.length,
    };
  }
}

/** Generates the events of a finished two-week, two-arm test, then times its report. */
async function timeReport(
  store: Awaited<ReturnType<typeof openEventStore>>,
  url: string,
  headers: Record<string, string>,
) {
  const start = new Date(Date.UTC(2026, 0, 5));
  const experiment: Experiment = {
    id: "bench-report",
    description: "bench:events report timing",
    salt: "bench",
    arms: [
      { name: "control", weight: 0.5, settings: {} },
      { name: "treatment", weight: 0.5, settings: { rerank: false } },
    ],
    status: "stopped",
    createdBy: "bench",
    startedAt: start,
    stoppedAt: new Date(start.getTime() + days * 86_400_000),
  };
  await store.saveExperiment(experiment);
  let lastSaid = 0;
  const generated = await bulkGenerate(
    env.pgUrl,
    { experimentId: experiment.id, arms: ["control", "treatment"], users, days, start, events: eventCount },
    (done, total) => {
      if (performance.now() - lastSaid < 10_000 && done < total) return;
      lastSaid = performance.now();
      say(`generating: ${done} of ${total} pages`);
    },
    generateMode,
  );
  say(
    `generated ${generated.events} events over ${generated.pages} pages in ${generated.seconds.toFixed(0)} s`,
  );
  const timings: { aggregatesMs: number; buildMs: number; totalMs: number }[] = [];
  let events = 0;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const aggregates = await store.aggregates(experiment.id);
    const t1 = performance.now();
    const report = buildExperimentReport(experiment, aggregates, experiment.stoppedAt!);
    const t2 = performance.now();
    if (!report) throw new Error("no report");
    events = aggregates.events;
    timings.push({ aggregatesMs: t1 - t0, buildMs: t2 - t1, totalMs: t2 - t0 });
    say(`report ${r + 1}: aggregates ${(t1 - t0).toFixed(0)} ms, build ${(t2 - t1).toFixed(1)} ms`);
  }
  const mid = (k: keyof (typeof timings)[number]) => timings.map((t) => t[k]).sort((a, b) => a - b)[1]!;
  const median = { aggregatesMs: mid("aggregatesMs"), buildMs: mid("buildMs"), totalMs: mid("totalMs") };
  const graphql = await timeGraphQLReport(url, headers, experiment.id);
  return {
    users,
    days,
    generate: generateMode,
    ...generated,
    eventsInAggregates: events,
    timings,
    median,
    graphql,
  };
}

function fmtRun(r: BatchRun): string {
  return `${r.accepted} accepted in ${r.seconds.toFixed(1)} s = ${r.eventsPerSecond.toFixed(0)} events/s; ${r.calls} calls, p50 ${r.p50.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms, ${r.failed} failed${r.failed ? ` (${Object.keys(r.errors)[0]})` : ""}`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function printTables(r: any): void {
  console.log(
    `\nbench:events  ${r.command}; load average before ${r.loadBefore}, after ${r.loadAfter} (2 cores)`,
  );
  console.log(
    `${r.servedPages} served pages; batches of ${r.batchSize} events (impression of 10 positions, ${(r.clickRate * 100).toFixed(0)}% of positions clicked, a dwell per click)\n`,
  );
  console.log(
    "| path | writers | runs x s | events/s (median run) | per run | p50 ms/batch | p95 ms/batch | failed calls |\n|---|---|---|---|---|---|---|---|",
  );
  const row = (path: string, writers: number, runsOf: BatchRun[], m: BatchRun) =>
    console.log(
      `| ${path} | ${writers} | ${runsOf.length} x ${seconds} | ${m.eventsPerSecond.toFixed(0)} | ${runsOf.map((x) => x.eventsPerSecond.toFixed(0)).join(", ")} | ${m.p50.toFixed(0)} | ${m.p95.toFixed(0)} | ${runsOf.reduce((n, x) => n + x.failed, 0)} |`,
    );
  row("recordEvents over HTTP", r.recordEvents.clients, r.recordEvents.runs, r.recordEvents.median);
  for (const w of ["1", "2"])
    row("EventStore.appendEvents", Number(w), r.appendEvents[w].runs, r.appendEvents[w].median);
  if (!r.report) return;
  const p = r.report;
  console.log(
    `\nreport over ${p.events} stored events (${p.pages} pages, ${p.users} users, ${p.days} days, 2 arms; generated --generate ${p.generate} in ${p.seconds.toFixed(0)} s; the rollups count ${p.eventsInAggregates})`,
  );
  console.log("| what | run 1 ms | run 2 ms | run 3 ms | median ms |\n|---|---|---|---|---|");
  for (const k of ["aggregatesMs", "buildMs", "totalMs"] as const)
    console.log(
      `| ${k === "aggregatesMs" ? "EventStore.aggregates" : k === "buildMs" ? "buildExperimentReport" : "both"} | ${p.timings.map((t: Record<string, number>) => t[k]!.toFixed(1)).join(" | ")} | ${p.median[k].toFixed(1)} |`,
    );
  console.log(
    p.graphql.available
      ? `| GraphQL experimentReport | ${p.graphql.ms.map((x: number) => x.toFixed(0)).join(" | ")} | ${p.graphql.median.toFixed(0)} |`
      : `GraphQL experimentReport: ${p.graphql.reason}`,
  );
}
