/**
 * npm run cost -- [--users 1000000] [--requests-per-user 10] [--videos 5000000] [--refresh-fraction 1]
 *   [--docs-per-video 1] [--peak-factor 3] [--headroom 0.3] [--replication 1] [--config rq8]
 *   [--rerank-pairs N] [--core-hour 0.031611] [--ram-gib-hour 0.004237] [--disk-gib-month 0.10]
 *   [--gpu-hour 0.35] [--allow-missing] [--json] [--figures-dir DIR]
 * The machines and dollars a month for the guide's scenario (or the one the flags describe), from
 * the figures the benches saved under .data/bench-figures/ and nothing else: a missing input names
 * the bench that measures it and the command exits 2 (--allow-missing prints what it can).
 * The default prices are assumptions (on-demand list prices, see docs/cost.md), not measurements.
 */
import { parseArgs } from "node:util";
import { FIGURES_DIR, loadFigures, type BenchFigures } from "./harness/bench-figures.js";
import {
  estimate,
  GUIDE,
  INPUT_SOURCES,
  inputsFrom,
  type InputName,
  type Scenario,
} from "./harness/cost-model.js";

const numeric = {
  users: "1000000",
  "requests-per-user": "10",
  videos: "5000000",
  "refresh-fraction": "1",
  "docs-per-video": "1",
  "peak-factor": "3",
  headroom: "0.3",
  replication: "1",
  "core-hour": "0.031611",
  "ram-gib-hour": "0.004237",
  "disk-gib-month": "0.10",
  "gpu-hour": "0.35",
} as const;

function fail(message: string): never {
  console.error(`cost: ${message}`);
  process.exit(2);
}

const args = (() => {
  try {
    return parseArgs({
      options: {
        ...Object.fromEntries(
          Object.entries(numeric).map(([k, v]) => [k, { type: "string" as const, default: v }]),
        ),
        config: { type: "string", default: "rq8" },
        "rerank-pairs": { type: "string" },
        "allow-missing": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        "figures-dir": { type: "string", default: FIGURES_DIR },
      },
    }).values as Record<keyof typeof numeric, string> & {
      config: string;
      "rerank-pairs"?: string;
      "allow-missing": boolean;
      json: boolean;
      "figures-dir": string;
    };
  } catch (err) {
    fail((err as Error).message);
  }
})();

const number = (name: string, value: string | undefined, min = 0) => {
  const n = Number(value);
  if (value === undefined || value.trim() === "" || !Number.isFinite(n) || n < min)
    fail(`--${name} must be a number >= ${min}, got ${JSON.stringify(value)}`);
  return n;
};
const positive = (name: keyof typeof numeric) => {
  const n = number(name, args[name]);
  if (n === 0 && name !== "headroom") fail(`--${name} must be above 0`);
  return n;
};

const saved = loadFigures(args["figures-dir"]);
const { inputs, used, missing } = inputsFrom(saved, args.config);
const rerankPairs = args["rerank-pairs"]
  ? number("rerank-pairs", args["rerank-pairs"])
  : (inputs.rerankPairsAfforded ?? 200);
const scenario: Scenario = {
  users: positive("users"),
  requestsPerUser: positive("requests-per-user"),
  videos: positive("videos"),
  refreshFraction: number("refresh-fraction", args["refresh-fraction"]),
  docsPerVideo: number("docs-per-video", args["docs-per-video"]),
  peakFactor: number("peak-factor", args["peak-factor"], 1),
  headroom: number("headroom", args.headroom),
  replication: number("replication", args.replication, 1),
  rerankPairs,
  prices: {
    coreHour: positive("core-hour"),
    ramGiBHour: positive("ram-gib-hour"),
    diskGiBMonth: positive("disk-gib-month"),
    gpuHour: positive("gpu-hour"),
  },
};

if (missing.length > 0) {
  const benches = [...new Set(missing.map((n) => INPUT_SOURCES[n].bench))];
  const lines = missing.map(
    (n) => `  - ${INPUT_SOURCES[n].field(args.config)} from ${INPUT_SOURCES[n].bench} (${name(n)})`,
  );
  const message =
    `measured inputs missing from ${args["figures-dir"]}:\n${lines.join("\n")}\n` +
    `run ${benches.map((b) => `\`npm run ${b}\``).join(", ")} first` +
    (benches.includes("bench:scale")
      ? ` (bench:scale must have measured the ${JSON.stringify(args.config)} config; --config picks another)`
      : "");
  if (!args["allow-missing"]) fail(`${message}; or pass --allow-missing for a partial estimate`);
  console.error(`cost: ${message}\ncost: --allow-missing: the lines that need them are left out\n`);
}

const result = estimate(scenario, inputs);
const provenance = Object.fromEntries([...used].map(([n, entry]) => [n, sourceOf(entry)]));

if (args.json) {
  console.log(
    JSON.stringify(
      { scenario, config: args.config, inputs, provenance, missing, estimate: result, guide: GUIDE },
      null,
      2,
    ),
  );
  process.exit(missing.length > 0 ? 1 : 0);
}

function name(n: InputName): string {
  return {
    cpuSecondsPerRequest: "API CPU seconds per request",
    weaviateCpuSecondsPerRequest: "Weaviate CPU seconds per request",
    loadRate: "req/s held at p95 < 250 ms",
    loadCores: "cores of the machine bench:load ran on",
    loadAverage: "load average as bench:load saved",
    rssBytesPerVector: "Weaviate RSS per vector",
    diskBytesPerVector: "Weaviate disk per vector",
    largestSize: "largest catalogue measured",
    projected5MMemoryGiB: "bench:scale's projected memory at 5M",
    projected5MDiskGiB: "bench:scale's projected disk at 5M",
    docsPerSecondPerCore: "encoding throughput per core",
    docsPerSecondPerGpu: "encoding throughput per GPU",
    rerankMsPerPairPerCore: "cross-encoder ms per pair per core",
    rerankMsPerPairGpu: "cross-encoder ms per pair on a GPU",
    rerankPairsAfforded: "pairs the rerank budget affords a request",
  }[n];
}

/** What a figure set says about its own run beyond the inputs: replicas driven, errors. */
function describe(e: BenchFigures): string {
  const f = e.figures;
  const notes = [
    typeof f.replicas === "number" ? `${f.replicas} replica(s)` : "",
    typeof f.p95Ms === "number" ? `p95 ${f.p95Ms.toFixed(0)} ms` : "",
    typeof f.errors === "number" && f.errors > 0 ? `${f.errors} errors` : "",
  ].filter(Boolean);
  return notes.length ? ` (${notes.join(", ")})` : "";
}

function howToMeasure(n: InputName): string {
  const bench = INPUT_SOURCES[n].bench;
  return bench.endsWith(":cuda")
    ? `\`npm run ${bench.replace(/:cuda$/, "")}\` on a machine with onnxruntime's CUDA provider`
    : `run \`npm run ${bench}\``;
}

function sourceOf(e: BenchFigures): string {
  const m = e.machine;
  return `${e.bench}, ${e.measuredAt.slice(0, 16).replace("T", " ")} UTC, ${m.cores} cores (${m.cpu}), load ${m.loadAverage1m.toFixed(2)}`;
}

const fmt = (n: number | undefined, digits = 1, unit = "") =>
  n === undefined
    ? "missing"
    : `${n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })}${unit}`;
const money = (n: number | undefined) => (n === undefined ? "missing" : `$${fmt(n, 2)}`);
const gb = (gib: number) => (gib * 2 ** 30) / 1e9;

console.log(
  `cost: ${fmt(scenario.users, 0)} daily users x ${scenario.requestsPerUser} requests, ${fmt(scenario.videos, 0)} videos ` +
    `(${fmt(scenario.refreshFraction * 100, 0)}% re-embedded daily, ${scenario.docsPerVideo} doc each), peak ${scenario.peakFactor}x the mean, ` +
    `headroom ${fmt(scenario.headroom * 100, 0)}%, ${scenario.replication} cop${scenario.replication === 1 ? "y" : "ies"} of each vector, compression ${args.config}`,
);
console.log("\nmeasured inputs:");
console.log("| input | value | measured by |\n|---|---|---|");
for (const n of Object.keys(INPUT_SOURCES) as InputName[]) {
  const entry = used.get(n);
  const value = inputs[n];
  console.log(
    `| ${name(n)} | ${value === undefined ? "not measured" : fmt(value, value < 1 ? 4 : 1)} | ${entry ? sourceOf(entry) : howToMeasure(n)} |`,
  );
}
for (const entry of new Set(used.values()))
  console.log(`${entry.bench}: \`${entry.command}\`${describe(entry)}`);
console.log(
  `\nrerank pairs per request: ${rerankPairs} (${args["rerank-pairs"] ? "--rerank-pairs" : inputs.rerankPairsAfforded ? "what the budget affords, bench:rerank" : "all 200 candidates: no measured budget"})`,
);
console.log(
  `prices (assumptions, not measured; see docs/cost.md): $${scenario.prices.coreHour}/core-hour, ` +
    `$${scenario.prices.ramGiBHour}/GiB-hour RAM, $${scenario.prices.diskGiBMonth}/GiB-month disk, $${scenario.prices.gpuHour}/GPU-hour`,
);

const r = result;
const busyLoad =
  inputs.loadAverage !== undefined && inputs.loadCores !== undefined && inputs.loadAverage > inputs.loadCores;
console.log(
  `\nload: ${fmt(r.requestsPerDay, 0)} requests/day, mean ${fmt(r.meanRps)} req/s, peak ${fmt(r.peakRps)} req/s`,
);
console.log("\n| | this model | the guide |\n|---|---|---|");
const row = (label: string, ours: string, guide = "") => console.log(`| ${label} | ${ours} | ${guide} |`);
row(
  `serving cores, from CPU s/request (API${inputs.weaviateCpuSecondsPerRequest ? " + Weaviate" : ""})`,
  fmt(r.servingCoresByCpu),
);
row(
  "serving cores, from the rate held at p95 < 250 ms",
  r.servingCoresByRate !== undefined && r.servingBasis === "cpu" && busyLoad
    ? `${fmt(r.servingCoresByRate)} (not used: bench:load's machine was busier than its cores)`
    : fmt(r.servingCoresByRate),
);
row(`cross-encoder at ${rerankPairs} pairs a request (see below)`, fmt(r.rerankCores));
row("encoding cores (daily re-embedding, spread over 24 h)", fmt(r.encodeCores));
row("cores provisioned (whole)", r.cores === undefined ? "missing" : String(r.cores));
const basis = (b: string | undefined) =>
  b === "projection"
    ? "bench:scale's 5M projection, scaled"
    : `per vector at ${fmt(inputs.largestSize, 0)} videos`;
row(
  `vector memory (${args.config}, RSS; ${basis(r.memoryBasis)})`,
  r.memoryGiB === undefined ? "missing" : `${fmt(r.memoryGiB, 2)} GiB (${fmt(gb(r.memoryGiB), 2)} GB)`,
  `${GUIDE.hnswMemoryGB} GB HNSW memory`,
);
row(
  `vector disk (${args.config}; ${basis(r.diskBasis)})`,
  r.diskGiB === undefined ? "missing" : `${fmt(r.diskGiB, 2)} GiB (${fmt(gb(r.diskGiB), 2)} GB)`,
  `${GUIDE.vectorsOnDiskGB} GB of vectors`,
);
if (r.extrapolation !== undefined && r.extrapolation > 1)
  row(
    "  the catalogue over the largest bench:scale measured",
    `${fmt(r.extrapolation)}x${r.extrapolation > 10 ? " (rerun bench:scale at larger sizes)" : ""}`,
  );
const gpu = r.gpuHoursPerMonth;
row(
  "GPU hours a month (rerank + encoding on a GPU)",
  gpu
    ? `${fmt(gpu.rerank, 0)} + ${fmt(gpu.encode, 0)} h (${money(r.gpuDollarsPerMonth)}, not in the total)`
    : "not measured here (no bench:embed:cuda or bench:rerank:cuda figures saved)",
);
row("CPU $/month", money(r.dollarsPerMonth?.cpu));
row("RAM $/month", money(r.dollarsPerMonth?.memory));
row("disk $/month", money(r.dollarsPerMonth?.disk));
row("total $/month", money(r.dollarsPerMonth?.total), `~$${GUIDE.dollarsPerMonth}`);
row(
  "$ per thousand recommendations (a page of results each)",
  r.dollarsPerThousand === undefined ? "missing" : `$${r.dollarsPerThousand.toPrecision(3)}`,
  `well under $${GUIDE.dollarsPerThousandBelow} (a hundredth of a cent each)`,
);
console.log(
  "\nThe cross-encoder line is inside the serving figures only as far as bench:load's server " +
    "reranked (its mean reranked column): under load it reranks what its budget affords.",
);
const busy = [...new Set(used.values())].filter((e) => e.machine.loadAverage1m > e.machine.cores);
if (busy.length > 0)
  console.log(
    `Busy machine: ${busy.map((e) => `${e.bench} ran at load ${e.machine.loadAverage1m.toFixed(1)} on ${e.machine.cores} cores`).join("; ")}. ` +
      "Other work shared its cores, so its rates understate (and the cores and dollars overstate) what a quiet machine gives.",
  );
console.log(
  "\nNot counted: the API processes' own memory (models, caches), the event store, network and " +
    "backups; memory is the vector store's RSS as bench:scale measured and projected it.",
);
process.exit(missing.length > 0 ? 1 : 0);
