/**
 * Provisions everything the service needs outside npm: the weaviate-server binary and the
 * encoder's model files (the int8 model, the fp32 export unless EMBED_MODEL=q8, and the second encoder paraphrase-MiniLM-L3-v2). Idempotent and offline-capable; prints what it did and how long it took.
 * `--cuda` adds onnxruntime's CUDA path from PyPI (src/embed/provision-cuda.ts); `--cpu` undoes it.
 */
import { parseArgs } from "node:util";
import { configOrFail } from "../platform/config/config-or-fail.js";
import { provisionCuda, restoreCpuBinding } from "../embed/provision-cuda.js";
import type { CudaLibsSource } from "../embed/cuda-libs.js";
import { provisionFp32 } from "../embed/provision-fp32.js";
import { HUB_PREFIX, isHubChoice } from "../embed/hub-encoder-files.js";
import { provisionHubEncoder } from "../embed/provision-hub-encoder.js";
import { provisionHubCrossEncoder } from "../recommend/rerank/rerank-model.js";
import { provisionModels } from "../embed/provision-models.js";
import { provisionParaphraseL3 } from "../embed/provision-paraphrase-l3.js";
import { resolveWeaviateBinary } from "../store/server/weaviate-binary.js";

const { values: flags } = parseArgs({
  options: {
    // --cuda: onnxruntime-gpu's libraries into onnxruntime-node, the CUDA 13 libraries; --cpu undoes it.
    cuda: { type: "boolean", default: false },
    cpu: { type: "boolean", default: false },
    "cuda-libs": { type: "string", default: "auto" },
  },
});
const cudaLibs = flags["cuda-libs"] as CudaLibsSource;
if (!["auto", "pypi", "torch", "none"].includes(cudaLibs) || (flags.cuda && flags.cpu)) {
  console.error("usage: provision [--cuda [--cuda-libs=auto|pypi|torch|none] | --cpu]");
  process.exit(2);
}
const { config, log } = configOrFail("provision", { logs: "service" });

async function step<T>(name: string, work: () => Promise<T>, describe: (result: T) => string): Promise<void> {
  const started = Date.now();
  const result = await work();
  console.log(`provision: ${name}: ${describe(result)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

try {
  if (config.weaviate.url) {
    console.log(`provision: weaviate: skipped, WEAVIATE_URL=${config.weaviate.url} is used`);
  } else {
    await step(
      "weaviate",
      () =>
        resolveWeaviateBinary({ explicit: config.weaviate.binary, cacheDir: config.weaviate.cacheDir, log }),
      (b) => `v${b.version} from ${b.source} at ${b.path}`,
    );
  }
  await step(
    "models",
    () => provisionModels({ modelsDir: config.models.dir, cacheDir: config.weaviate.cacheDir, log }),
    (source) => `all-MiniLM-L6-v2 (${source}) in ${config.models.dir}`,
  );
  // fp32 is what EMBED_MODEL=auto prefers; when only auto asked for it, a failed build falls back to int8.
  if (config.models.variant !== "q8") {
    try {
      await step(
        "models fp32",
        async () => provisionFp32(config.models.dir, config.weaviate.cacheDir, log),
        (r) => `onnx/model.onnx ${r}`,
      );
    } catch (err) {
      if (config.models.variant === "fp32") throw err;
      console.warn(
        `provision: models fp32: not built, the int8 model will serve (${(err as Error).message.split("\n")[0]})`,
      );
    }
  }
  // The second encoder (tests and eval:cross-lingual swap to it); optional unless EMBED_MODEL names it.
  try {
    await step(
      "models paraphrase-MiniLM-L3-v2",
      async () => provisionParaphraseL3(config.models.dir, config.weaviate.cacheDir, log),
      (r) => `onnx/model.onnx ${r}`,
    );
  } catch (err) {
    if (config.models.variant === "paraphrase-MiniLM-L3-v2") throw err;
    console.warn(
      `provision: models paraphrase-MiniLM-L3-v2: not provisioned, only all-MiniLM-L6-v2 can serve (${(err as Error).message.split("\n")[0]})`,
    );
  }
  // A hub encoder only when EMBED_MODEL names one (hub:<org>/<name>); then it must be there.
  const variant = config.models.variant;
  if (isHubChoice(variant))
    await step(
      `models ${variant}`,
      () =>
        provisionHubEncoder(
          config.models.dir,
          variant.slice(HUB_PREFIX.length),
          config.models.hubEndpoint,
          log,
        ),
      (r) => `onnx/model.onnx ${r}`,
    );
  // The hub cross-encoder only when online; offline, rerank stays off (or RERANK_MODEL names a local file).
  await step(
    "cross-encoder",
    () => provisionHubCrossEncoder(config.rerank.model, config.models.dir, log),
    (r) => `${config.rerank.model}: ${r}`,
  );
  if (flags.cpu)
    await step(
      "cuda",
      async () => restoreCpuBinding(),
      (r) => `${r}: onnxruntime-node runs npm's CPU library`,
    );
  if (flags.cuda)
    await step(
      "cuda",
      async () =>
        provisionCuda({
          cacheDir: config.weaviate.cacheDir,
          libs: cudaLibs,
          progress: (l) => console.log(`provision: cuda: ${l}`),
        }),
      (r) =>
        [
          `onnxruntime-gpu 1.30.0 ${r.binding} in ${r.bindingDir}, CUDA 13 libraries from ${r.libs.source}.`,
          r.unresolved?.length
            ? `Still unresolved: ${r.unresolved.join(", ")}${r.unresolved.join() === "libcuda.so.1" ? " (the NVIDIA driver: only a GPU host has it)" : ""}.`
            : "",
          `Before Node starts: export LD_LIBRARY_PATH=${r.ldLibraryPath || "<your CUDA 13 lib folders>"}`,
          `(or \`. ${r.envFile}\`), then ONNX_PROVIDER=cuda; \`npm run provision -- --cpu\` undoes the swap`,
        ]
          .filter(Boolean)
          .join("\n  "),
    );
} catch (err) {
  console.error(`provision failed: ${(err as Error).message}`);
  process.exit(1);
}
