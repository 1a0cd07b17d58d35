/**
 * npm run bench:load -- [--duration 300] [--rate 50] [--users 1000] [--skip-search] [--step-seconds 20]
 *   [--search-step 25] [--search-max 400] [--out report.json] [--dataset ../shared/datasets/tiktok-nesc-dev|demo] [--cache-dir DIR] [--recheck]
 *   [--events on|off] [--admission on|off] [--targets URL,URL --api-key KEY]
 * Sustained load on the real API over the whole dev dataset: the server (`node dist/src/main.js`,
 * API key, result cache off, rerank on with a random-weight MiniLM-architecture cross-encoder, the
 * learned ranker when models/ranker/model.onnx exists) answers a mix of recommendations (real
 * commenters) and similarVideos/similarCreators at --rate req/s for --duration s, open loop.
 * Reports p50/p95/p99, errors and the server's memory over time with a verdict on whether it is
 * flat after warm-up; then steps the rate up to find the highest one whose p95 stays under 250 ms.
 * Requests the server sheds (503 OVERLOADED, its adaptive concurrency limit) and limits (429) are
 * counted apart from errors, and the admitted ones' p95 apart: `--rate 170 --skip-search` runs a
 * fixed overload and shows what admission control keeps. `--admission off` starts the server
 * without it (ADMISSION_MAX_CONCURRENCY=0), for the comparison; the bench's own key is never rate
 * limited (RATE_LIMIT_PARTNER=off). CPU seconds per answered request come from the API's
 * process_cpu_seconds_total before and after the sustained phase (and Weaviate's from /proc).
 * `--targets` drives API replicas already running (e.g. `npm run stack`'s), round-robin, with
 * `--api-key` (or BENCH_API_KEY) instead of starting a store and a server; --dataset still names the
 * dump the workload's ids come from, and it must be the one the replicas serve.
 * The ingested store is cached under <CACHE_DIR>/bench-load/ or --cache-dir (see dataset-store-cache.ts).
 * --dataset demo runs on the demo catalogue (written to a temporary folder). The server's embedded
 * event store lives in a throwaway folder; with --events on every feed page is reported back
 * through recordEvents as an app would (its impression and seeded clicks, in batches of 100 or
 * every second), and those calls' counts and errors are printed beside the recommendation figures,
 * which count feed and similar* requests only. Off by default: the clicks feed back into the
 * cached store's user interests (as they should in production), so later runs on that cache see
 * users who clicked; delete the cache folder for a pristine store. The figures `npm run cost`
 * reads are saved with saveFigures("bench:load", ...) (with --targets, as "bench:load:targets").
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { configOrFail } from "../src/platform/config/config-or-fail.js";
import { REPO_ROOT } from "../src/platform/paths.js";
import { writeDemoCatalogue } from "../src/ingest/demo/demo-catalogue.js";
import { openLoadTarget } from "./harness/load-target.js";
import { appEventSender } from "./harness/app-event-sender.js";
import { openLoop, postGraphQL, summarise } from "./harness/load-driver.js";
import { apiCpuSeconds, processCpuSeconds } from "./harness/load-cpu.js";
import {
  groupBy,
  LATENCY_HEADER,
  latencyRow,
  liveReport,
  printMemory,
  printSearch,
  rule,
} from "./harness/load-report.js";
import { readWorkload, workloadSender } from "./harness/load-workload.js";
import { memoryVerdict, watchMemory } from "./harness/memory-watch.js";
import { searchMaxRate } from "./harness/rate-search.js";
import { FIGURES_DIR, saveFigures } from "./harness/bench-figures.js";

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
  admission: { type: "string", default: "on" },
  targets: { type: "string" },
  "api-key": { type: "string" },
  "figures-dir": { type: "string", default: FIGURES_DIR },
} as const;
const args = (() => {
  try {
    return parseArgs({ options }).values;
  } catch (err) {
    console.error(`bench:load: ${(err as Error).message}`);
    process.exit(2);
  }
})();
const usage = (message: string): never => {
  console.error(`bench:load: ${message}`);
  process.exit(2);
};
const positive = (name: string, value: string | undefined, integer = false) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    usage(`--${name} must be a positive ${integer ? "integer" : "number"}, got ${JSON.stringify(value)}`);
  return n;
};
const duration = positive("duration", args.duration);
const rate = positive("rate", args.rate);
const userCount = positive("users", args.users, true);
const stepSeconds = positive("step-seconds", args["step-seconds"]);
const searchStep = positive("search-step", args["search-step"]);
const searchMax = positive("search-max", args["search-max"]);
for (const flag of ["events", "admission"] as const)
  if (args[flag] !== "on" && args[flag] !== "off")
    usage(`--${flag} must be on or off, got ${JSON.stringify(args[flag])}`);
const withEvents = args.events === "on";
/** API replicas already running (GraphQL URLs; a bare origin gets /graphql). */
const targets = args.targets
  ?.split(",")
  .map((t) => t.trim())
  .filter(Boolean)
  .map((t) => (/\/graphql$/.test(t) ? t : `${t.replace(/\/$/, "")}/graphql`));
if (targets) {
  if (targets.length === 0 || targets.some((t) => !URL.canParse(t)))
    usage(`--targets must be comma-separated URLs, got ${JSON.stringify(args.targets)}`);
  if (!(args["api-key"] ?? process.env.BENCH_API_KEY))
    usage("--targets needs the replicas' API key: --api-key KEY or BENCH_API_KEY");
  if (args.admission === "off")
    usage("--admission is the started server's setting; with --targets set it on the replicas");
}
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
const { config, log } = configOrFail("bench:load");

const openTarget = () =>
  openLoadTarget({
    targets,
    apiKey: args["api-key"] ?? process.env.BENCH_API_KEY,
    admission: args.admission === "on",
    dataset,
    cacheDir: args["cache-dir"] ? resolve(args["cache-dir"]) : join(config.weaviate.cacheDir, "bench-load"),
    recheck: args.recheck!,
    scratch,
    config,
    log,
    say,
  });

let exitCode = 0;
try {
  const target = await openTarget();
  try {
    exitCode = await run(target);
  } finally {
    await target.close();
  }
} catch (err) {
  console.error(`bench:load: ${(err as Error).message}`);
  exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(exitCode);

async function run(target: Awaited<ReturnType<typeof openTarget>>): Promise<number> {
  let code = 0;
  const { store, urls } = target;
  const work = readWorkload(dataset, userCount);
  const headers = { "x-api-key": target.key };
  const events = withEvents ? appEventSender(urls[0]!, headers) : undefined;
  const send = workloadSender(urls, work, headers, events && ((p) => events.page(p)));
  const status = await postGraphQL(
    urls[0]!,
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
    reranker: { enabled: boolean; modelId?: string; budgetMs: number; msPerToken?: number; reason?: string };
    ranker: { kind: string; modelId?: string; reason?: string };
  };
  if (!serverStatus.reranker.enabled && !targets)
    throw new Error(`rerank is off in the server under test: ${serverStatus.reranker.reason}`);
  say(
    `server: ${urls.join(", ")}${target.serverPid ? ` (pid ${target.serverPid})` : " (--targets)"}; rerank ${serverStatus.reranker.enabled ? `${serverStatus.reranker.modelId} (budget ${serverStatus.reranker.budgetMs} ms, measured ${serverStatus.reranker.msPerToken?.toFixed(3)} ms per token)` : `off (${serverStatus.reranker.reason})`}; ranker: ${serverStatus.ranker.kind}${serverStatus.ranker.modelId ? ` ${serverStatus.ranker.modelId}` : ""}; admission control ${args.admission}`,
  );
  for (let i = 0; i < 10 * urls.length; i++) {
    const s = await send(i);
    if (!s.ok) throw new Error(`warm-up request ${i} failed: ${s.error}`);
  }

  // The sustained phase, with the server's memory sampled beside it and its CPU read around it.
  const intervalS = Math.min(10, Math.max(1, Math.round(duration / 30)));
  const memory = watchMemory(urls[0]!.replace(/\/graphql$/, "/metrics"), target.weaviatePid, intervalS);
  say(
    `load: ${rate} req/s for ${duration} s over ${work.users.length} of ${work.commenters} commenters, ${work.videos.length} videos, ${work.creators.length} creators${urls.length > 1 ? `, round-robin over ${urls.length} replicas` : ""}; memory every ${intervalS} s`,
  );
  const live = liveReport(intervalS);
  const cpuBefore = await apiCpuSeconds(urls);
  const weaviateBefore = processCpuSeconds(target.weaviatePid);
  const samples = await openLoop(send, rate, duration, live.add);
  const cpuSeconds = (await apiCpuSeconds(urls)) - cpuBefore;
  const weaviateAfter = processCpuSeconds(target.weaviatePid);
  live.stop();
  const memorySamples = await memory.stop();
  const main = summarise(samples);
  const answered = samples.filter((s) => s.ok).length;
  const cpuPerRequest = answered > 0 ? cpuSeconds / answered : Number.NaN;
  const weaviatePerRequest =
    weaviateBefore !== undefined && weaviateAfter !== undefined && answered > 0
      ? (weaviateAfter - weaviateBefore) / answered
      : undefined;
  const warmupS = Math.min(60, duration / 5);
  const verdict = memoryVerdict(memorySamples, warmupS, warmupS);
  if (main.admittedFailed > 0) code = 1;

  let search: Awaited<ReturnType<typeof searchMaxRate>> | undefined;
  if (!args["skip-search"]) {
    say(
      `search: the highest rate with p95 < ${LIMIT_MS} ms and no errors or shed requests, ${stepSeconds} s per step`,
    );
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
            `search: ${s.rate} req/s -> p95 ${s.summary.p95.toFixed(0)} ms, ${s.summary.admittedFailed} errors, ${s.summary.shed} shed, admitted p95 ${s.summary.admittedP95.toFixed(0)} ms: ${s.pass ? "pass" : "fail"}`,
          ),
      },
    );
  }

  const c = store?.counts;
  console.log(
    `\nbench:load  ${dataset}${c ? `; ${c.videos} videos, ${c.comments} comments` : `; --targets ${urls.join(",")}`}; server ${serverStatus.encoder.modelId} on ${serverStatus.encoder.executionProvider}, rerank ${serverStatus.reranker.enabled ? serverStatus.reranker.modelId : "off"}${targets ? "" : ` (random weights, MiniLM-L6 architecture; budget ${serverStatus.reranker.budgetMs} ms at ${serverStatus.reranker.msPerToken?.toFixed(3)} ms/token)`}, ranker ${serverStatus.ranker.kind}; ${targets ? "the replicas' own settings" : `result cache off; admission control ${args.admission}`}`,
  );
  console.log(
    `\nsustained: ${rate} req/s open loop for ${duration} s (8/10 recommendations, 1/10 similarVideos, 1/10 similarCreators)`,
  );
  console.log(`${LATENCY_HEADER}\n${rule(LATENCY_HEADER)}`);
  console.log(latencyRow(main));
  for (const [reason, n] of Object.entries(main.errors)) console.log(`error: ${n} x ${reason}`);
  console.log(
    `CPU: ${cpuSeconds.toFixed(1)} s of the API process${urls.length > 1 ? "es" : ""} for ${answered} answers: ${(cpuPerRequest * 1000).toFixed(2)} ms per request${weaviatePerRequest !== undefined ? `; weaviate-server ${(weaviatePerRequest * 1000).toFixed(2)} ms per request` : ""}`,
  );
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
    if (ev.failed > 0) code = 1;
  } else console.log("\napp events: off (--events off); pages are still recorded with a servedId");
  printMemory(memorySamples, samples, verdict, warmupS, urls.length > 1 ? urls[0] : undefined);
  if (search) printSearch(search, stepSeconds, LIMIT_MS);
  if (store)
    console.log(
      `\nstore: ${store.dir} (${store.firstRun ? "built by this run" : "cached"}; ${store.firstRun ? "ingest" : store.reused ? "reopened and counted in" : "idempotent re-ingest"} ${store.ingestSeconds.toFixed(0)} s)`,
    );
  if (main.admittedFailed > 0)
    console.log(`FAIL: ${main.admittedFailed} of ${main.admitted} admitted requests failed at ${rate} req/s`);

  // For `npm run cost`: the rate held (the search's best, or the fixed --rate when it was held:
  // p95 under the limit, nothing shed, limited or failed) and what it cost.
  const best = search?.steps.find((s) => s.rate === search.best);
  const held = main.admittedP95 < LIMIT_MS && main.shed + main.limited + main.admittedFailed === 0;
  const heldRate = search ? search.best : held ? rate : undefined;
  const figures = {
    ...(heldRate !== undefined ? { rate: heldRate } : {}),
    p95Ms: best ? best.summary.p95 : main.admittedP95,
    errors: main.admittedFailed,
    admitted: main.admitted,
    shed: main.shed,
    limited: main.limited,
    cpuSecondsPerRequest: cpuPerRequest,
    ...(weaviatePerRequest !== undefined ? { weaviateCpuSecondsPerRequest: weaviatePerRequest } : {}),
    sustainedRate: rate,
    sustainedAdmittedP95Ms: main.admittedP95,
    replicas: urls.length,
    admissionControl: targets ? "replicas' setting" : args.admission!,
  };
  if (Number.isFinite(cpuPerRequest))
    // Replicas driven from outside are saved apart: cost prices the bench's own single server.
    say(
      `bench:load: figures saved to ${saveFigures(targets ? "bench:load:targets" : "bench:load", figures, resolve(args["figures-dir"]!))}`,
    );
  else say("bench:load: no request was answered: figures not saved");

  if (args.out) {
    const report = {
      command: `npm run bench:load -- ${process.argv.slice(2).join(" ")}`.trim(),
      generatedAt: new Date().toISOString(),
      dataset,
      targets: targets ?? null,
      store: store
        ? {
            dir: store.dir,
            firstRun: store.firstRun,
            reused: store.reused,
            ingestSeconds: store.ingestSeconds,
            embedded: c!.embedded,
            written: c!.written,
            creators: c!.creators,
            videos: c!.videos,
            comments: c!.comments,
            commenters: c!.users,
          }
        : null,
      server: serverStatus,
      workload: {
        users: work.users.length,
        commenters: work.commenters,
        videos: work.videos.length,
        creators: work.creators.length,
        mix: "8/10 recommendations, 1/10 similarVideos, 1/10 similarCreators",
      },
      sustained: { rate, durationS: duration, ...main, cpuSeconds, cpuSecondsPerRequest: cpuPerRequest },
      figures,
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
  return code;
}

/** The demo catalogue as a dump folder under `root` (the same files every run, so the cached store is reused). */
function demoFolder(root: string): string {
  const dir = join(root, "demo-dump");
  writeDemoCatalogue(dir);
  return dir;
}
