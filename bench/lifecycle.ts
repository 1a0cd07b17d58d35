/**
 * npm run bench:lifecycle -- [--dataset ../shared/datasets/tiktok-nesc-dev|demo] [--to paraphrase-MiniLM-L3-v2]
 *   [--rate 4] [--users 1000] [--settle 30] [--skip-training | --skip-swap] [--cache-dir DIR] [--keep DIR]
 * The model lifecycle at a real dataset's size, on the service as `npm start` runs it (its own
 * embedded Weaviate, ROLE=all) under open-loop traffic at --rate req/s the whole time:
 *   1 baseline: --settle s on generation 1 (all-MiniLM-L6-v2);
 *   2 rebuild: `rebuildEncoderGeneration(model: --to)`, polled until the new generation serves
 *      (build, catch-up, verification and switch), with progress per class;
 *   3 switched: --settle s on the new generation; 4 rollback: `rollbackEncoderGeneration`, timed;
 *   5 rolled back: up to 10 s on generation 1 again (--skip-swap leaves out 2 to 5);
 *   6 training, unless --skip-training: `trainRanker`, polled until the run decides, with its
 *      figures per negative kind and its phase timings (registry and run log in a scratch folder).
 * Every answer must be a page that names its generation: the table counts failures and answers
 * per generation per phase, and the verdict fails if any failed or any came from a generation
 * that was not serving around it. The store is bench:load's cached ingest of the dataset (first
 * run ~10 min for the dev split), copied so the cache stays at generation 1. Figures are saved
 * as bench:lifecycle (see bench-figures.ts).
 */
// GraphQL answers are untyped JSON here: each call knows its own operation's shape.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { hashKey } from "../src/platform/config/api-keys.js";
import { configOrFail } from "../src/platform/config/config-or-fail.js";
import { REPO_ROOT } from "../src/platform/paths.js";
import { createEncoder } from "../src/embed/encoder.js";
import { L3_NAME } from "../src/embed/paraphrase-l3-files.js";
import { writeDemoCatalogue } from "../src/ingest/demo/demo-catalogue.js";
import { startApiServer } from "./harness/api-server-process.js";
import { openCachedDatasetStore } from "./harness/dataset-store-cache.js";
import { saveFigures } from "./harness/bench-figures.js";
import { summarise } from "./harness/load-driver.js";
import { readWorkload } from "./harness/load-workload.js";
import { phaseTraffic, type PhaseSample } from "./harness/phase-traffic.js";
import { adminClient, waitFor, type AdminClient } from "./harness/admin-client.js";

const { values: args } = parseArgs({
  options: {
    dataset: { type: "string", default: join(REPO_ROOT, "..", "shared", "datasets", "tiktok-nesc-dev") },
    to: { type: "string", default: L3_NAME },
    rate: { type: "string", default: "4" },
    users: { type: "string", default: "1000" },
    settle: { type: "string", default: "30" },
    "skip-training": { type: "boolean", default: false },
    "skip-swap": { type: "boolean", default: false },
    "cache-dir": { type: "string" },
    keep: { type: "string" },
  },
});
const say = (line: string) => process.stderr.write(`${line}\n`);
const { config, log } = configOrFail("bench:lifecycle");
const scratch = mkdtempSync(join(tmpdir(), "bench-lifecycle-"));
const dataset = args.dataset === "demo" ? demoFolder(join(scratch, "demo")) : resolve(args.dataset!);
const rate = Number(args.rate);
const settleMs = Number(args.settle) * 1000;
if (
  !existsSync(join(dataset, "comments")) ||
  !(rate > 0) ||
  !(settleMs >= 0) ||
  (args["skip-swap"] && args["skip-training"])
) {
  console.error(
    `bench:lifecycle: needs a dump folder (got ${dataset}), --rate > 0, --settle >= 0, and not both --skip-swap and --skip-training`,
  );
  process.exit(2);
}
const seconds = (ms: number) => Math.round(ms / 100) / 10;

let exitCode = 1;
try {
  exitCode = await run();
} catch (err) {
  console.error(`bench:lifecycle: ${(err as Error).message}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(exitCode);

async function run(): Promise<number> {
  const dataDir = await copyOfCachedStore();
  const admin = `trk_${randomBytes(24).toString("base64url")}`;
  const bootStarted = performance.now();
  const server = await startApiServer(
    { dataDir },
    {
      ROLE: "all",
      EMBED_MODEL: "auto",
      API_KEYS: `bench-lifecycle:admin:${hashKey(admin)}`,
      RERANK_MODEL: "off",
      EVENTS_DATABASE_URL: "off",
      INGEST_SCHEDULE_POSTS: "off",
      INGEST_SCHEDULE_COMMENTS: "off",
      RANKER_TRAINING_SCHEDULE: "off",
      MODEL_REGISTRY_DIR: join(scratch, "registry"),
    },
    600_000,
  );
  say(`server: up in ${seconds(performance.now() - bootStarted)} s on the copy (${server.url})`);
  const client = adminClient(server.url, admin);
  const traffic = phaseTraffic(
    server.url,
    readWorkload(dataset, Number(args.users)),
    { "x-api-key": admin },
    rate,
  );
  const timings: Record<string, number> = {};
  let samples: PhaseSample[] = [];
  let failure: unknown;
  // Ctrl-C (or a kill) ends the phase under way; the table of what ran still prints.
  const interrupted = new Promise<never>((_, reject) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const)
      process.once(signal, () => reject(new Error(`${signal}: stopped during phase ${traffic.phase()}`)));
  });
  interrupted.catch(() => {});
  try {
    await Promise.race([interrupted, phases()]);
  } catch (err) {
    failure = err;
  } finally {
    samples = await traffic.stop();
    await server.stop();
  }
  const ok = report(samples) && failure === undefined;
  if (failure) console.error(`bench:lifecycle: ${(failure as Error).message}`);
  const generations = storeCounts(dataDir);
  saveFigures("bench:lifecycle", {
    dataset: dataset.replace(/^.*\//, ""),
    to: args.to!,
    rate,
    ...timings,
    ...generations,
    requests: samples.length,
    failed: samples.filter((s) => !s.ok).length,
    verdict: ok ? "pass" : "fail",
  });
  if (args.keep) cpSync(dataDir, resolve(args.keep), { recursive: true });
  return ok ? 0 : 1;

  async function phases(): Promise<void> {
    traffic.enter("1 baseline");
    await sleep(settleMs);
    if (!args["skip-swap"]) await swap();
    if (!args["skip-training"]) {
      traffic.enter("6 training");
      Object.assign(timings, await train(client));
    }
  }

  /** Phases 2 to 5: rebuild onto --to, serve it, roll back, serve generation 1 again. */
  async function swap(): Promise<void> {
    traffic.enter("2 rebuild");
    timings.rebuildSeconds = await rebuild(client);
    Object.assign(timings, switchLog(server.logs(), "switch"));
    traffic.enter("3 switched");
    await sleep(settleMs);
    traffic.enter("4 rollback");
    const rollbackStarted = performance.now();
    const back = await client.call(`mutation { rollbackEncoderGeneration { outcome generation reason } }`);
    timings.rollbackSeconds = seconds(performance.now() - rollbackStarted);
    Object.assign(timings, switchLog(server.logs(), "rollback"));
    if (back.rollbackEncoderGeneration.outcome !== "switched")
      throw new Error(`rollback refused: ${back.rollbackEncoderGeneration.reason}`);
    say(
      `rollback: generation ${back.rollbackEncoderGeneration.generation} serves again after ${timings.rollbackSeconds} s`,
    );
    traffic.enter("5 rolled back");
    await sleep(Math.min(settleMs, 10_000));
  }
}

/** bench:load's cached ingest of the dataset, copied: the rebuild adds classes the cache must not keep. */
async function copyOfCachedStore(): Promise<string> {
  const encoder = await createEncoder({ modelsDir: config.models.dir, ...config.models });
  const cacheDir = args["cache-dir"]
    ? resolve(args["cache-dir"])
    : join(config.weaviate.cacheDir, "bench-load");
  const store = await openCachedDatasetStore(dataset, encoder, cacheDir, log, say).finally(() =>
    encoder.dispose(),
  );
  const c = store.counts;
  say(`store: ${c.creators} creators, ${c.videos} videos, ${c.comments} comments, ${c.users} commenters`);
  await store.close();
  const copied = performance.now();
  const dataDir = join(scratch, "weaviate");
  cpSync(join(store.dir, "weaviate"), dataDir, { recursive: true });
  say(`store: copied in ${seconds(performance.now() - copied)} s`);
  return dataDir;
}

async function rebuild(client: AdminClient): Promise<number> {
  const started = performance.now();
  const asked = await client.call(
    `mutation($m: String!) { rebuildEncoderGeneration(model: $m) { outcome generation reason } }`,
    { m: args.to },
  );
  const change = asked.rebuildEncoderGeneration;
  if (change.outcome !== "started") throw new Error(`rebuild not started: ${change.reason}`);
  say(`rebuild: generation ${change.generation} (${args.to}) started`);
  let lastLine = 0;
  await waitFor(async () => {
    const { encoderGenerations: status } = await client.call(
      `{ encoderGenerations { serving generations { id state buildSeconds error progress { className copied done } } } }`,
    );
    const gen = status.generations.find((g: any) => g.id === change.generation);
    if (gen.state === "failed") throw new Error(`the rebuild failed: ${gen.error}`);
    if (performance.now() - lastLine > 15_000) {
      lastLine = performance.now();
      const classes = gen.progress.map((p: any) => `${p.className} ${p.copied}${p.done ? " done" : ""}`);
      say(`rebuild: ${seconds(performance.now() - started)} s: ${classes.join(", ") || "starting"}`);
    }
    if (status.serving !== change.generation) return false;
    say(
      `rebuild: switched after ${seconds(performance.now() - started)} s (the record says buildSeconds ${gen.buildSeconds})`,
    );
    return true;
  }, 2_000);
  return seconds(performance.now() - started);
}

async function train(client: AdminClient): Promise<Record<string, number>> {
  const started = performance.now();
  const { trainRanker } = await client.call(`mutation { trainRanker { started message runId } }`);
  if (!trainRanker.started) throw new Error(`training not started: ${trainRanker.message}`);
  say(`training: ${trainRanker.runId} started`);
  let run: any;
  await waitFor(async () => {
    const { rankerTrainingRuns } = await client.call(
      `{ rankerTrainingRuns(first: 1) { id decision reason servingBefore users { eligible train heldOut } rows { train heldOut } figures { kind users candidate serving differenceStdError passed } } }`,
    );
    run = rankerTrainingRuns[0];
    return run.decision !== "running";
  }, 5_000);
  const wall = seconds(performance.now() - started);
  say(`training: ${run.decision} after ${wall} s: ${run.reason}`);
  say(
    `  users with a past ${run.users.eligible}: train ${run.users.train}, held out ${run.users.heldOut}; rows ${run.rows.train} / ${run.rows.heldOut}`,
  );
  say(
    `  | kind | users | self-trained | serving (${run.servingBefore ?? "fixed blend"}) | paired s.e. | passed |`,
  );
  for (const f of run.figures)
    say(
      `  | ${f.kind} | ${f.users} | ${f.candidate.toFixed(3)} | ${f.serving.toFixed(3)} | ${f.differenceStdError.toFixed(3)} | ${f.passed} |`,
    );
  const phases = runPhases(run.id);
  if (phases && Object.keys(phases).length)
    say(
      `  phases (s): ${Object.entries(phases)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}`,
    );
  return {
    trainingSeconds: wall,
    ...Object.fromEntries(
      run.figures.flatMap((f: any) => [
        [`trained_${f.kind}`, f.candidate],
        [`serving_${f.kind}`, f.serving],
      ]),
    ),
  };
}

/**
 * What the server logged about its last switch: each catch-up pass (objects touched, and when)
 * and how long writes were held for the last one (`writesHeldSeconds`).
 */
function switchLog(lines: string[], label: string): Record<string, number> {
  const entries = lines.map((l) => {
    try {
      return JSON.parse(l) as Record<string, any>;
    } catch {
      return {};
    }
  });
  const last = entries.findLastIndex((e) => e.msg === "encoder generation switched");
  if (last < 0) return {};
  let first = last;
  while (first > 0 && entries[first - 1]!.msg === "encoder generation catch-up") first--;
  for (const e of entries.slice(first, last))
    say(`${label}: catch-up pass ${e.pass} touched ${e.touched} objects (${e.time})`);
  const held = Number(entries[last]!.writesHeldSeconds);
  say(
    `${label}: switched at ${entries[last]!.time}; writes held ${held} s for the last pass, verification and flip`,
  );
  return Number.isFinite(held) ? { [`${label}WritesHeldSeconds`]: held } : {};
}

/** The run's phase timings from the run log (MODEL_REGISTRY_DIR/training-runs.jsonl). */
function runPhases(id: string): Record<string, number> | undefined {
  const file = join(scratch, "registry", "training-runs.jsonl");
  if (!existsSync(file)) return undefined;
  const runs = readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  return runs.reverse().find((r) => r.id === id && r.seconds)?.seconds;
}

/** The generation record the rebuild left: object counts it verified, per class. */
function storeCounts(dataDir: string): Record<string, number> {
  const file = join(dataDir, ".tiktok-recs-generations.json");
  if (!existsSync(file)) return {};
  const record = JSON.parse(readFileSync(file, "utf8"));
  const counts: Record<string, [number, number]> =
    record.generations.find((g: any) => g.id === 2)?.verified?.counts ?? {};
  return Object.fromEntries(
    Object.entries(counts).map(([className, [, next]]) => [`objects_${className}`, next]),
  );
}

/**
 * Per phase: answers, failures, latency and the generations that answered. A failure, or an
 * answer from a generation that did not serve in its phase, fails the verdict.
 */
function report(samples: PhaseSample[]): boolean {
  const allowed: Record<string, number[]> = {
    "1 baseline": [1],
    "2 rebuild": [1, 2],
    "3 switched": [2],
    "4 rollback": [1, 2],
    "5 rolled back": [1],
    "6 training": [1],
  };
  let ok = true;
  console.log("| phase | requests | failed | p50 ms | p95 ms | answered by generation |");
  console.log("|---|---|---|---|---|---|");
  for (const phase of Object.keys(allowed)) {
    const mine = samples.filter((s) => s.phase === phase);
    if (mine.length === 0) continue;
    const s = summarise(mine);
    const by = new Map<number, number>();
    for (const x of mine)
      if (x.generation !== undefined) by.set(x.generation, (by.get(x.generation) ?? 0) + 1);
    const wrong = [...by.keys()].filter((g) => !allowed[phase]!.includes(g));
    if (s.failed > 0 || wrong.length > 0) ok = false;
    const gens = [...by].map(([g, n]) => `${g}: ${n}`).join(", ");
    console.log(
      `| ${phase} | ${s.requests} | ${s.failed} | ${s.p50.toFixed(0)} | ${s.p95.toFixed(0)} | ${gens}${wrong.length ? " (unexpected)" : ""} |`,
    );
    for (const [why, n] of Object.entries(s.errors)) console.log(`|   ${n}x ${why.slice(0, 120)} |||||`);
  }
  console.log(
    `verdict: ${ok ? "pass" : "FAIL"}: ${samples.filter((s) => !s.ok).length} of ${samples.length} queries failed`,
  );
  return ok;
}

function demoFolder(dir: string): string {
  writeDemoCatalogue(dir);
  return dir;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
