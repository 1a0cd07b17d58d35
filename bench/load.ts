/**
 * npm run bench:load -- [--duration 300] [--rate 50] [--users 1000] [--skip-search] [--step-seconds 20]
 *   [--search-step 25] [--search-max 400] [--out report.json] [--dataset ../shared/datasets/tiktok-nesc-dev|demo] [--cache-dir DIR] [--recheck]
 *   [--events on|off]
 * Sustained load on the real API over the whole dev dataset: the server (`node dist/src/main.js`,
 * API key, result cache off, rerank on with a random-weight MiniLM-architecture cross-encoder, the
 * learned ranker when models/ranker/model.onnx exists) answers a mix of recommendations (real
 * commenters) and similarVideos/similarCreators at --rate req/s for --duration s, open loop.
 * Reports p50/p95/p99, errors and the server's memory over time with a verdict on whether it is
 * flat after warm-up; then steps the rate up to find the highest one whose p95 stays under 250 ms.
 * The ingested store is cached under <CACHE_DIR>/bench-load/ or --cache-dir (see dataset-store-cache.ts).
 * --dataset demo runs on the demo catalogue (written to a temporary folder). The server's embedded
 * event store lives in a throwaway folder; with --events on every feed page is reported back
 * through recordEvents as an app would (its impression and seeded clicks, in batches of 100 or
 * every second), and those calls' counts and errors are printed beside the recommendation figures,
 * which count feed and similar* requests only. Off by default: the clicks feed back into the
 * cached store's user interests (as they should in production), so later runs on that cache see
 * users who clicked; delete the cache folder for a pristine store.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { hashKey } from "../src/platform/config/api-keys.js";
import { configOrFail } from "../src/platform/config/config-or-fail.js";
import { REPO_ROOT } from "../src/platform/paths.js";
import { createEncoder } from "../src/embed/encoder.js";
import { randomCrossEncoder } from "../src/offline/training/random-cross-encoder.js";
import { writeDemoCatalogue } from "../src/ingest/demo/demo-catalogue.js";
import { startApiServer } from "./harness/api-server-process.js";
import { appEventSender } from "./harness/app-event-sender.js";
import { openCachedDatasetStore } from "./harness/dataset-store-cache.js";
import { openLoop, postGraphQL, summarise, type LatencySummary, type Sample } from "./harness/load-driver.js";
import { readWorkload, workloadSender } from "./harness/load-workload.js";
import { memoryVerdict, watchMemory } from "./harness/memory-watch.js";
import { searchMaxRate } from "./harness/rate-search.js";

const LIMIT_MS = 250;

const options = {
  dataset: { type: "string", default: join(REPO_ROOT, "..", "shared", "datasets", "tiktok-nesc-dev") },
  duration: { type: "string", default: "300" },
  rate: { type: "string", default: "50" },
  users: { type: "string", default: "1000" },
  "skip-search": { type: "boolean", default: false },
  "step-seconds": { type: "string", default: "20" },
  "search-step": { type: "string", default: "25" },
  "search-max": { type: "string", default: "400" },
  "cache-dir": { type: "string" },
  recheck: { type: "boolean", default: false },
  out: { type: "string" },
  events: { type: "string", default: "off" },
} as const;
const args = (() => {
  try {
    return parseArgs({ options }).values;
  } catch (err) {
    console.error(`bench:load: ${(err as Error).message}`);
    process.exit(2);
  }
})();
const positive = (name: string, value: string | undefined, integer = false) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    console.error(
      `bench:load: --${name} must be a positive ${integer ? "integer" : "number"}, got ${JSON.stringify(value)}`,
    );
    process.exit(2);
  }
  return n;
};
const duration = positive("duration", args.duration);
const rate = positive("rate", args.rate);
const userCount = positive("users", args.users, true);
const stepSeconds = positive("step-seconds", args["step-seconds"]);
const searchStep = positive("search-step", args["search-step"]);
const searchMax = positive("search-max", args["search-max"]);
if (args.events !== "on" && args.events !== "off") {
  console.error(`bench:load: --events must be on or off, got ${JSON.stringify(args.events)}`);
  process.exit(2);
}
const withEvents = args.events === "on";
const scratch = mkdtempSync(join(tmpdir(), "bench-load-"));
const dataset = args.dataset === "demo" ? demoFolder(scratch) : resolve(args.dataset!);
if (
  !existsSync(join(dataset, "users")) ||
  !existsSync(join(dataset, "posts")) ||
  !existsSync(join(dataset, "comments"))
) {
  console.error(
    `bench:load: ${dataset} is not a TikLiveAPI dump with users/, posts/ and comments/ (pass --dataset <dir>)`,
  );
  process.exit(2);
}

const say = (line: string) => process.stderr.write(`${line}\n`);
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const { config, log } = configOrFail("bench:load");
const crossEncoder = randomCrossEncoder(config.weaviate.cacheDir, "minilm", log);

const encoder = await createEncoder({ modelsDir: config.models.dir, ...config.models });
const store = await openCachedDatasetStore(
  dataset,
  encoder,
  args["cache-dir"] ? resolve(args["cache-dir"]) : join(config.weaviate.cacheDir, "bench-load"),
  log,
  say,
  { recheck: args.recheck },
).finally(() => encoder.dispose());
let exitCode = 0;
try {
  const c = store.counts;
  say(
    `store: ${store.firstRun ? "first ingest" : store.reused ? "reopening and counting" : "idempotent re-ingest"} took ${store.ingestSeconds.toFixed(0)} s: ${c.creators} creators, ${c.videos} videos, ${c.comments} comments, ${c.users} commenters; embedded ${c.embedded}, wrote ${Object.values(c.written).reduce((a, b) => a + b, 0)} objects`,
  );
  const work = readWorkload(dataset, userCount);
  const key = `trk_${randomBytes(24).toString("base64url")}`;
  const server = await startApiServer(store.weaviate, {
    NODE_ENV: "production",
    API_KEYS: `bench-load:partner:${hashKey(key)}`,
    RERANK_MODEL: crossEncoder,
    EVENTS_DATA_DIR: join(scratch, "postgres"),
  });
  try {
    const headers = { "x-api-key": key };
    const events = withEvents ? appEventSender(server.url, headers) : undefined;
    const send = workloadSender(server.url, work, headers, events && ((p) => events.page(p)));
    const status = await postGraphQL(
      server.url,
      {
        query:
          "{ status { encoder { modelId executionProvider } reranker { enabled modelId executionProvider budgetMs msPerToken reason } ranker { kind modelId reason } } }",
        variables: {},
      },
      (data) => ({ tag: JSON.stringify(data.status) }),
      { headers },
    );
    if (!status.ok) throw new Error(`the server does not answer with the bench's API key: ${status.error}`);
    const serverStatus = JSON.parse(status.tag!) as {
      encoder: { modelId: string; executionProvider: string };
      reranker: {
        enabled: boolean;
        modelId?: string;
        budgetMs: number;
        msPerToken?: number;
        reason?: string;
      };
      ranker: { kind: string; modelId?: string; reason?: string };
    };
    if (!serverStatus.reranker.enabled)
      throw new Error(`rerank is off in the server under test: ${serverStatus.reranker.reason}`);
    say(
      `server: ${server.url} (pid ${server.pid}); rerank ${serverStatus.reranker.modelId} (budget ${serverStatus.reranker.budgetMs} ms, measured ${serverStatus.reranker.msPerToken?.toFixed(3)} ms per token); ranker: ${serverStatus.ranker.kind}${serverStatus.ranker.modelId ? ` ${serverStatus.ranker.modelId}` : ""}`,
    );
    for (let i = 0; i < 10; i++) {
      const s = await send(i);
      if (!s.ok) throw new Error(`warm-up request ${i} failed: ${s.error}`);
    }

    // The sustained phase, with the server's memory sampled beside it.
    const intervalS = Math.min(10, Math.max(1, Math.round(duration / 30)));
    const memory = watchMemory(
      server.url.replace(/\/graphql$/, "/metrics"),
      store.weaviate.embedded?.pid,
      intervalS,
    );
    say(
      `load: ${rate} req/s for ${duration} s over ${work.users.length} of ${work.commenters} commenters, ${work.videos.length} videos, ${work.creators.length} creators; memory every ${intervalS} s`,
    );
    const live = liveReport(intervalS);
    const samples = await openLoop(send, rate, duration, live.add);
    live.stop();
    const memorySamples = await memory.stop();
    const main = summarise(samples);
    const warmupS = Math.min(60, duration / 5);
    const verdict = memoryVerdict(memorySamples, warmupS, warmupS);
    if (main.failed > 0) exitCode = 1;

    let search: Awaited<ReturnType<typeof searchMaxRate>> | undefined;
    if (!args["skip-search"]) {
      say(`search: the highest rate with p95 < ${LIMIT_MS} ms and no errors, ${stepSeconds} s per step`);
      search = await searchMaxRate(
        async (r) => {
          await new Promise((done) => setTimeout(done, 2_000)); // a breather, so each step starts with idle queues
          return summarise(await openLoop(send, r, stepSeconds));
        },
        {
          step: searchStep,
          maxRate: searchMax,
          limitMs: LIMIT_MS,
          resolution: Math.max(1, searchStep / 5),
          onStep: (s) =>
            say(
              `search: ${s.rate} req/s -> p95 ${s.summary.p95.toFixed(0)} ms, ${s.summary.failed} errors: ${s.pass ? "pass" : "fail"}`,
            ),
        },
      );
    }

    console.log(
      `\nbench:load  ${dataset}; ${c.videos} videos, ${c.comments} comments; server ${serverStatus.encoder.modelId} on ${serverStatus.encoder.executionProvider}, rerank ${serverStatus.reranker.modelId} (random weights, MiniLM-L6 architecture; budget ${serverStatus.reranker.budgetMs} ms at ${serverStatus.reranker.msPerToken?.toFixed(3)} ms/token), ranker ${serverStatus.ranker.kind}; result cache off`,
    );
    console.log(
      `\nsustained: ${rate} req/s open loop for ${duration} s (8/10 recommendations, 1/10 similarVideos, 1/10 similarCreators)`,
    );
    console.log(
      "| requests | errors | p50 ms | p95 ms | p99 ms | max ms | mean reranked |\n|---|---|---|---|---|---|---|",
    );
    console.log(latencyRow(main));
    for (const [reason, n] of Object.entries(main.errors)) console.log(`error: ${n} x ${reason}`);
    console.log(`\n| answer | requests | p50 ms | p95 ms |\n|---|---|---|---|`);
    for (const [tag, group] of groupBy(
      samples.filter((s) => s.ok),
      (s) => s.tag ?? "?",
    )) {
      const g = summarise(group);
      console.log(`| ${tag} | ${g.requests} | ${g.p50.toFixed(1)} | ${g.p95.toFixed(1)} |`);
    }
    const ev = await events?.stop().then(() => events.stats());
    if (ev) {
      console.log(
        "\napp events beside the load (recordEvents, every feed page's impression and seeded clicks, batches of up to 100 or each second)",
      );
      console.log(
        "| event calls | failed | events sent | accepted | duplicates | refused | p50 ms | p95 ms |\n|---|---|---|---|---|---|---|---|",
      );
      console.log(
        `| ${ev.calls} | ${ev.failed} | ${ev.sent} | ${ev.accepted} | ${ev.duplicates} | ${ev.refused} | ${ev.p50.toFixed(1)} | ${ev.p95.toFixed(1)} |`,
      );
      for (const [reason, n] of Object.entries(ev.errors)) console.log(`event error: ${n} x ${reason}`);
      if (ev.failed > 0) exitCode = 1;
    } else console.log("\napp events: off (--events off); pages are still recorded with a servedId");
    console.log(
      `\nmemory of the API server (and weaviate-server) over time; the first ${warmupS.toFixed(0)} s are warm-up`,
    );
    console.log(
      "| t s | sent | errors | p95 ms | server RSS MB | heap used MB | heap total MB | weaviate RSS MB |\n|---|---|---|---|---|---|---|---|",
    );
    for (const [i, m] of memorySamples.entries()) {
      const window = samples.filter(
        (s) => s.at / 1000 <= m.t && s.at / 1000 > (i === 0 ? -1 : memorySamples[i - 1]!.t),
      );
      const w = summarise(window);
      console.log(
        `| ${m.t.toFixed(0)} | ${w.requests} | ${w.failed} | ${w.requests ? w.p95.toFixed(0) : "-"} | ${mb(m.rss)} | ${mb(m.heapUsed)} | ${mb(m.heapTotal)} | ${m.weaviateRss ? mb(m.weaviateRss) : "-"} |`,
      );
    }
    const trend = (name: string, t: typeof verdict.rss) =>
      t &&
      `${name} ${t.firstWindowMb.toFixed(0)} -> ${t.lastWindowMb.toFixed(0)} MB (${t.growthMb >= 0 ? "+" : ""}${t.growthMb.toFixed(1)} MB), slope ${t.slopeMbPerMin.toFixed(2)} MB/min`;
    console.log(
      `memory after warm-up: ${verdict.verdict}${verdict.rss ? `; lowest value in the first vs the last ${verdict.windowS.toFixed(0)} s window: ${trend("RSS", verdict.rss)}; ${trend("heap used", verdict.heapUsed)}` : ""}`,
    );
    if (search) {
      console.log(`\nrate search: ${stepSeconds} s per step, pass = p95 < ${LIMIT_MS} ms and no errors`);
      console.log(
        "| rate req/s | requests | errors | p50 ms | p95 ms | p99 ms | max ms | mean reranked | pass |\n|---|---|---|---|---|---|---|---|---|",
      );
      for (const s of search.steps)
        console.log(`| ${s.rate} ${latencyRow(s.summary)} ${s.pass ? "yes" : "no"} |`);
      console.log(
        search.best > 0
          ? `highest rate with p95 < ${LIMIT_MS} ms: ${search.best} req/s${search.firstFail ? ` (${search.firstFail} req/s failed)` : " (the highest step tried)"}`
          : `no rate passed: even ${search.firstFail} req/s had p95 >= ${LIMIT_MS} ms or errors`,
      );
    }
    console.log(
      `\nstore: ${store.dir} (${store.firstRun ? "built by this run" : "cached"}; ${store.firstRun ? "ingest" : store.reused ? "reopened and counted in" : "idempotent re-ingest"} ${store.ingestSeconds.toFixed(0)} s)`,
    );
    if (main.failed > 0)
      console.log(`FAIL: ${main.failed} of ${main.requests} requests failed at ${rate} req/s`);

    if (args.out) {
      const report = {
        command: `npm run bench:load -- ${process.argv.slice(2).join(" ")}`.trim(),
        generatedAt: new Date().toISOString(),
        dataset,
        store: {
          dir: store.dir,
          firstRun: store.firstRun,
          reused: store.reused,
          ingestSeconds: store.ingestSeconds,
          embedded: c.embedded,
          written: c.written,
          creators: c.creators,
          videos: c.videos,
          comments: c.comments,
          commenters: c.users,
        },
        server: serverStatus,
        workload: {
          users: work.users.length,
          commenters: work.commenters,
          videos: work.videos.length,
          creators: work.creators.length,
          mix: "8/10 recommendations, 1/10 similarVideos, 1/10 similarCreators",
        },
        sustained: { rate, durationS: duration, ...main },
        events: ev ?? null,
        memory: { intervalS, samples: memorySamples, ...verdict },
        search: search && {
          limitMs: LIMIT_MS,
          stepSeconds,
          best: search.best,
          firstFail: search.firstFail ?? null,
          steps: search.steps.map((s) => ({ rate: s.rate, pass: s.pass, ...s.summary })),
        },
      };
      writeFileSync(resolve(args.out), `${JSON.stringify(report, null, 2)}\n`);
      console.log(`bench:load: wrote ${resolve(args.out)}`);
    }
  } finally {
    await server.stop();
  }
} catch (err) {
  console.error(`bench:load: ${(err as Error).message}`);
  exitCode = 1;
} finally {
  await store.close();
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(exitCode);

/** The demo catalogue as a dump folder under `root` (the same files every run, so the cached store is reused). */
function demoFolder(root: string): string {
  const dir = join(root, "demo-dump");
  writeDemoCatalogue(dir);
  return dir;
}

function latencyRow(s: LatencySummary): string {
  return `| ${s.requests} | ${s.failed} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.max.toFixed(0)} | ${s.meanReranked.toFixed(1)} |`;
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(x);
  }
  return [...groups].sort((a, b) => b[1].length - a[1].length);
}

/** A line on stderr every `intervalS`: answers so far, errors, and the p95 of the last interval. */
function liveReport(sampleS: number) {
  const intervalS = Math.max(sampleS, 5);
  const started = performance.now();
  let recent: Sample[] = [];
  let answered = 0;
  let failed = 0;
  const timer = setInterval(() => {
    const w = summarise(recent);
    say(
      `load: ${((performance.now() - started) / 1000).toFixed(0)} s, ${answered} answered, ${failed} errors, last ${intervalS} s p95 ${w.requests ? w.p95.toFixed(0) : "-"} ms`,
    );
    recent = [];
  }, intervalS * 1000);
  return {
    add: (s: Sample) => {
      answered++;
      if (!s.ok) failed++;
      recent.push(s);
    },
    stop: () => clearInterval(timer),
  };
}
