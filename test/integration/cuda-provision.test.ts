/**
 * The CUDA path as far as a machine without a GPU can take it: `provisionCuda` swaps the real
 * onnxruntime-gpu 1.30.0 files (from PyPI, cached in CACHE_DIR/cuda/wheels: 247 MB, a few
 * seconds on our network the first time) into a scratch COPY of onnxruntime-node, never the
 * repo's; a child Node process importing that copy still runs the real encoder model on the CPU
 * with the stock binding's outputs; asking for CUDA there falls back under "auto" with the
 * reason, and "cuda" refuses with it; `--cpu` restores npm's library. The CUDA 13 libraries
 * (1.2 GB) are not downloaded here: when a provisioning already unpacked them in the cache, one
 * more child runs with them on LD_LIBRARY_PATH and must blame the missing driver instead.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import ort from "onnxruntime-node";
import { loadConfig } from "../../src/platform/config/config.js";
import { sha256Streamed } from "../../src/embed/cuda-wheels.js";
import { CUDA_MARKER, defaultBindingDir, PROVIDER_LIBS } from "../../src/embed/cuda-diagnosis.js";
import { CPU_BACKUP, provisionCuda, restoreCpuBinding } from "../../src/embed/provision-cuda.js";
import { cudaProviderInstalled, openOrtSession } from "../../src/embed/execution-provider.js";
import { modelLayout } from "../../src/embed/model-files.js";
import { describePlacement, probeOptions, probePlacement } from "../../src/embed/provider-probe.js";

const config = loadConfig();
const modelPath = modelLayout(config.models.dir).onnx.q8;
const repoBinding = defaultBindingDir();
const compiled = join(dirname(fileURLToPath(import.meta.url)), "..", ".."); // dist-<name>/
const scratch = mkdtempSync(join(tmpdir(), "tiktok-recs-cuda-"));
const scratchPkg = join(scratch, "node_modules", "onnxruntime-node");
const binding = join(scratchPkg, "bin", "napi-v6", "linux", "x64");
const libsRoot = join(config.weaviate.cacheDir, "cuda", "libs-cuda13.0");

type ChildResult = {
  binding: string;
  hidden: number[];
  auto: { provider: string; reason: string; hidden: number[] };
  cudaRefusal?: { code?: string; message: string };
  worker: { provider: string; reason: string };
  workerCudaError?: string;
};

/** The child in the scratch folder, so "onnxruntime-node" resolves to the copy. */
function child(env: Record<string, string> = {}): ChildResult {
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [
      join(scratch, "app", "test", "helpers", "cuda-child.js"),
      new URL("file://" + join(scratch, "app", "src", "embed") + "/").href,
      modelPath,
    ],
    {
      cwd: scratch,
      encoding: "utf8",
      env: { ...process.env, LD_LIBRARY_PATH: "", ...env },
      timeout: 120_000,
    },
  );
  assert.equal(result.status, 0, `child failed:\n${result.stderr.slice(-2000)}`);
  console.log(`  child ran in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as ChildResult;
}

/** The stock binding's output for the child's input, in this process (the repo's node_modules). */
async function stockHidden(): Promise<number[]> {
  const { session } = await openOrtSession(modelPath, "cpu", 1);
  const ids = [101n, 7592n, 2088n, 2003n, 2307n, 102n, 0n, 0n];
  const out = await session.run({
    input_ids: new ort.Tensor("int64", BigInt64Array.from(ids), [1, 8]),
    attention_mask: new ort.Tensor("int64", BigInt64Array.from(ids.map((i) => (i ? 1n : 0n))), [1, 8]),
    token_type_ids: new ort.Tensor("int64", new BigInt64Array(8), [1, 8]),
  });
  await session.release();
  return Array.from(out[session.outputNames[0]!]!.data as Float32Array);
}

const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));

describe("the CUDA path, provisioned into a scratch copy of onnxruntime-node", () => {
  let skipped: string | undefined;
  let stock: number[];

  before(async () => {
    assert.ok(existsSync(modelPath), `${modelPath} missing: run npm run provision`);
    // Only what a binding needs: its JS, its linux x64 native folder, onnxruntime-common.
    const repoPkg = dirname(dirname(dirname(dirname(repoBinding))));
    for (const part of ["package.json", "dist", "lib"])
      cpSync(join(repoPkg, part), join(scratchPkg, part), { recursive: true });
    cpSync(repoBinding, binding, { recursive: true });
    cpSync(
      join(dirname(repoPkg), "onnxruntime-common"),
      join(scratch, "node_modules", "onnxruntime-common"),
      {
        recursive: true,
      },
    );
    // Our compiled embed and platform code, and the child, beside that node_modules.
    for (const dir of ["src/embed", "src/platform", "test/helpers"]) {
      mkdirSync(join(scratch, "app", dir), { recursive: true });
      for (const f of readdirSync(join(compiled, dir)).filter((n) => n.endsWith(".js")))
        cpSync(join(compiled, dir, f), join(scratch, "app", dir, f));
    }
    writeFileSync(join(scratch, "package.json"), '{ "type": "module" }\n');
    stock = await stockHidden();
    const started = Date.now();
    try {
      const r = provisionCuda({
        bindingDir: binding,
        cacheDir: config.weaviate.cacheDir,
        libs: "none",
        envFile: join(scratch, "cuda-env.sh"),
        progress: (l) => console.log(`  ${l}`),
      });
      console.log(`  provisionCuda: ${r.binding} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (err) {
      skipped = `onnxruntime-gpu 1.30.0 could not be fetched from PyPI: ${(err as Error).message}`;
      console.log(`  SKIPPED: ${skipped}`);
    }
  });

  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("places onnxruntime-gpu's three libraries, keeps npm's, and leaves the repo's binding alone", (t) => {
    if (skipped) return t.skip(skipped);
    for (const f of ["libonnxruntime.so.1", ...PROVIDER_LIBS]) assert.ok(existsSync(join(binding, f)), f);
    assert.equal(
      sha256Streamed(join(binding, CPU_BACKUP)),
      sha256Streamed(join(repoBinding, "libonnxruntime.so.1")),
    );
    assert.notEqual(
      sha256Streamed(join(binding, "libonnxruntime.so.1")),
      sha256Streamed(join(repoBinding, "libonnxruntime.so.1")),
      "the binding's library is the wheel's now",
    );
    assert.ok(existsSync(join(binding, CUDA_MARKER)));
    assert.ok(cudaProviderInstalled(binding));
    assert.ok(!cudaProviderInstalled(repoBinding), "the repo's node_modules must stay CPU-only");
    const again = provisionCuda({
      bindingDir: binding,
      cacheDir: config.weaviate.cacheDir,
      libs: "none",
      envFile: join(scratch, "cuda-env.sh"),
      progress: () => {},
    });
    assert.equal(again.binding, "present", "a second run changes nothing");
  });

  it("runs the real model on the CPU through the swapped library with the stock outputs", (t) => {
    if (skipped) return t.skip(skipped);
    const r = child();
    assert.ok(r.binding.startsWith(scratch), `the child loaded ${r.binding}`);
    assert.equal(r.hidden.length, stock.length);
    const diff = maxDiff(r.hidden, stock);
    console.log(`  max |swapped - stock| over ${stock.length} outputs: ${diff}`);
    assert.ok(diff < 1e-4, `CPU outputs changed by ${diff}`);
    // "auto" asked for CUDA, could not have it, and serves on the CPU, the same numbers, saying why.
    assert.equal(r.auto.provider, "cpu");
    assert.ok(maxDiff(r.auto.hidden, stock) < 1e-4);
    assert.match(
      r.auto.reason,
      /^CUDA unavailable: the CUDA 13 libraries are not on LD_LIBRARY_PATH \(missing .*libcublasLt\.so\.13/,
    );
    assert.equal(r.worker.provider, "cpu");
    assert.equal(r.worker.reason, r.auto.reason, "the worker session reports the same reason");
    // "cuda" refuses, with the cause and the fix.
    assert.equal(r.cudaRefusal?.code, "EXECUTION_PROVIDER_UNAVAILABLE");
    assert.match(r.cudaRefusal!.message, /^ONNX_PROVIDER=cuda, but CUDA cannot serve .*LD_LIBRARY_PATH/);
    assert.match(r.workerCudaError ?? "", /ONNX_PROVIDER=cuda, but CUDA cannot serve/);
    console.log(`  auto: ${r.auto.reason}`);
  });

  it("with the CUDA 13 libraries on LD_LIBRARY_PATH, blames the missing driver", (t) => {
    if (skipped) return t.skip(skipped);
    const dirs = ["cu13", "cudnn"].map((d) => join(libsRoot, "nvidia", d, "lib"));
    if (!dirs.every(existsSync))
      return t.skip(
        `the CUDA 13 libraries are not unpacked in ${libsRoot} (npm run provision -- --cuda does it)`,
      );
    const r = child({ LD_LIBRARY_PATH: dirs.join(":") });
    assert.equal(r.auto.provider, "cpu");
    assert.match(r.auto.reason, /no NVIDIA driver on this host \(libcuda\.so\.1 not found/);
    assert.match(r.cudaRefusal!.message, /no NVIDIA driver/);
    console.log(`  auto: ${r.auto.reason}`);
  });

  it("without the provider files (the stock binding), names the provisioning command", async () => {
    const opened = await openOrtSession(modelPath, "auto", 1);
    await opened.session.release();
    assert.equal(opened.provider, "cpu");
    assert.match(opened.reason, /has no CUDA provider .*npm run provision -- --cuda/);
    await assert.rejects(openOrtSession(modelPath, "cuda", 1), (err: Error & { code?: string }) => {
      assert.equal(err.code, "EXECUTION_PROVIDER_UNAVAILABLE");
      assert.match(err.message, /npm run provision -- --cuda/);
      assert.doesNotMatch(err.message, /cuda12/);
      return true;
    });
  });

  it("reads the provider of every node from onnxruntime's profile of one run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ort-probe-test-"));
    const session = await ort.InferenceSession.create(modelPath, {
      executionProviders: ["cpu"],
      ...probeOptions(dir),
    });
    const placement = await probePlacement(session, dir);
    await session.release();
    const nodes = placement.nodes.CPUExecutionProvider ?? 0;
    assert.ok(nodes > 50, `the int8 MiniLM-L6 graph runs ${nodes} nodes`);
    assert.deepEqual(Object.keys(placement.nodes), ["CPUExecutionProvider"]);
    assert.ok(placement.cpuOps.includes("Softmax"), placement.cpuOps.join(", ")); // attention ran here
    assert.match(
      describePlacement(placement),
      new RegExp(`^0 of ${nodes} nodes on CUDAExecutionProvider; on CPU: `),
    );
    assert.ok(!existsSync(dir), "the profile is removed");
  });

  it("--cpu restores npm's library and removes the provider", (t) => {
    if (skipped) return t.skip(skipped);
    assert.equal(restoreCpuBinding(binding), "restored");
    assert.equal(
      sha256Streamed(join(binding, "libonnxruntime.so.1")),
      sha256Streamed(join(repoBinding, "libonnxruntime.so.1")),
    );
    assert.ok(!cudaProviderInstalled(binding));
    assert.ok(!existsSync(join(binding, CPU_BACKUP)) && !existsSync(join(binding, CUDA_MARKER)));
    assert.equal(restoreCpuBinding(binding), "already cpu");
    const r = child();
    assert.ok(maxDiff(r.hidden, stock) < 1e-4);
    assert.match(r.auto.reason, /has no CUDA provider/);
  });
});
