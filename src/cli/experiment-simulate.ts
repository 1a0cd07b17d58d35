/**
 * npm run experiment:simulate -- [--dataset ../shared/datasets/tiktok-nesc-dev] [--store .data/simulation-eval-store]
 *   [--users N] [--days 14] [--reps 100] [--aa-users N] [--seed 7] [--out experiment-simulation] [--json] [--skip-ab] [--treatment-share 0.1]
 * The online-experiment statistics proven on our own data, through the real service: the users of
 * the dataset's evaluation half visit for --days days, get pages from services.recommend and click
 * by the documented click model (src/offline/simulation/click-model.ts). Runs the learned ranker
 * against the fixed blend at 90/10 with click feedback, then --reps A/A tests, and prints the
 * verdict, the A/A false-positive rate, the click feedback's effect and the event store's speed.
 * --store DIR keeps the evaluation half's past (as `npm run eval -- --store DIR` builds it); the
 * run itself works on a scratch copy of it and a fresh embedded PostgreSQL.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createServices } from "../app/create-services.js";
import { startExperiments } from "../app/experiments-service.js";
import { createEncoder } from "../embed/encoder.js";
import { openEventStore } from "../events/event-store.js";
import { ensureEvalStore, evaluationUsers, scratchCopy } from "../offline/simulation/eval-store.js";
import { meteredStore, newMeter } from "../offline/simulation/event-meter.js";
import { runSimulation, type SimulationResult } from "../offline/simulation/run-simulation.js";
import { summaryLines } from "../offline/simulation/summary.js";
import { sampleUsers } from "../offline/simulation/users.js";
import { configOrFail } from "../platform/config/config-or-fail.js";
import { createMetrics } from "../platform/metrics.js";
import { REPO_ROOT } from "../platform/paths.js";
import { phaseProgress } from "../platform/progress.js";
import { loadLearnedRanker } from "../recommend/rank/learned-ranker.js";
import { openWeaviateAt } from "../store/scratch-weaviate.js";

const { values: args } = parseArgs({
  options: {
    dataset: { type: "string", default: join(REPO_ROOT, "..", "shared", "datasets", "tiktok-nesc-dev") },
    store: { type: "string", default: join(REPO_ROOT, ".data", "simulation-eval-store") },
    users: { type: "string" },
    days: { type: "string", default: "14" },
    reps: { type: "string", default: "100" },
    "aa-users": { type: "string" },
    seed: { type: "string", default: "7" },
    out: { type: "string", default: "experiment-simulation" },
    json: { type: "boolean", default: false },
    "skip-ab": { type: "boolean", default: false },
    "treatment-share": { type: "string", default: "0.1" },
  },
});
/** The JSON carries the report's data; its page is written beside it. */
const withoutHtml = (r: SimulationResult) => ({ ...r, ab: r.ab && { ...r.ab, html: undefined } });
const positive = (name: string, v: string | undefined, zero = false) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < (zero ? 0 : 1)) {
    console.error(`experiment:simulate: --${name} must be a ${zero ? "non-negative" : "positive"} integer`);
    process.exit(2);
  }
  return n;
};
const dataset = resolve(args.dataset!);
if (!existsSync(join(dataset, "posts")) || !existsSync(join(dataset, "comments"))) {
  console.error(`experiment:simulate: ${dataset} is not a TikLiveAPI dump with posts/ and comments/`);
  process.exit(2);
}
const opts = {
  users: positive("users", args.users),
  days: positive("days", args.days)!,
  reps: positive("reps", args.reps, true)!,
  aaUsers: positive("aa-users", args["aa-users"]),
  seed: Number(args.seed),
  start: new Date("2026-01-04T12:00:00Z"),
  skipAb: args["skip-ab"],
  treatmentShare: Number(args["treatment-share"]),
};
if (!(opts.treatmentShare > 0 && opts.treatmentShare < 1)) {
  console.error("experiment:simulate: --treatment-share must be between 0 and 1");
  process.exit(2);
}
const { config, log } = configOrFail("experiment:simulate");
const progress = phaseProgress("experiment:simulate");
const encoder = () => createEncoder({ modelsDir: config.models.dir, ...config.models });

const kept = await ensureEvalStore(
  dataset,
  args.store!,
  { encoder, encoderVariant: config.models.variant, log },
  progress,
);
const users = sampleUsers(evaluationUsers(dataset), opts.users, opts.seed);
const ranker =
  config.rankerModel !== "off" && existsSync(config.rankerModel)
    ? await loadLearnedRanker(config.rankerModel)
    : undefined;
if (!ranker && !opts.skipAb) {
  console.error(
    `experiment:simulate: the A/B test needs the learned ranker at ${config.rankerModel} (npm run train:ranker), or pass --skip-ab`,
  );
  process.exit(2);
}
const copy = scratchCopy(kept.dataDir);
const eventsDir = mkdtempSync(join(tmpdir(), "sim-events-"));
const weaviate = await openWeaviateAt(copy.dataDir, log);
const enc = await encoder();
const meter = newMeter();
const store = meteredStore(
  await openEventStore({ dataDir: join(eventsDir, "postgres"), retentionDays: 365, log }),
  meter,
);
let now = opts.start;
const clock = () => now;
const experiments = await startExperiments(store, { refreshSeconds: 3600, log, now: clock });
try {
  const services = createServices({ weaviate, ranker, coldStart: config.coldStart }, enc, {
    cacheSeconds: 0,
    rerankStatus: { enabled: false, budgetMs: 0, reason: "no cross-encoder in the simulation" },
    rankerStatus: ranker ? { kind: "learned", modelId: ranker.modelId } : undefined,
    metrics: createMetrics(),
    log,
    events: store,
    experiments,
    eventsBatchMax: 500,
    ignoredAfter: config.events.ignoredAfter,
    now: clock,
  });
  const world = { services, store, meter, setTime: (at: Date) => (now = at) };
  const result = await runSimulation(world, users, { ...opts, progress });
  const out = resolve(args.out!);
  mkdirSync(out, { recursive: true });
  if (result.ab) writeFileSync(join(out, "ab-report.html"), result.ab.html);
  const command = `npm run experiment:simulate -- ${process.argv.slice(2).join(" ")}`.trim();
  writeFileSync(
    join(out, "result.json"),
    `${JSON.stringify({ command, ranker: ranker?.modelId, ...withoutHtml(result) }, null, 2)}\n`,
  );
  if (args.json) console.log(JSON.stringify({ command, ranker: ranker?.modelId, ...withoutHtml(result) }));
  else {
    console.log(`\n${command}\nranker: ${ranker?.modelId ?? "none (fixed blend only)"}`);
    for (const line of summaryLines(result)) console.log(line);
    console.log(
      `\nwrote ${join(out, "result.json")}${result.ab ? ` and ${join(out, "ab-report.html")}` : ""}`,
    );
  }
} finally {
  experiments.close();
  await store.close();
  await ranker?.dispose();
  await enc.dispose();
  await weaviate.close();
  rmSync(eventsDir, { recursive: true, force: true });
  copy.dispose();
}
