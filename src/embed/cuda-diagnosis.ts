import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The command that installs the CUDA path; every hint names it. */
export const PROVISION_CUDA = "npm run provision -- --cuda";

/** What `npm run provision -- --cuda` left in the binding folder, so a failure can name the fix. */
export interface CudaMarker {
  ort: string;
  libsSource: string;
  ldLibraryPath: string;
  envFile: string;
  at: string;
}

export const CUDA_MARKER = "tiktok-recs-cuda.json";
export const PROVIDER_LIBS = ["libonnxruntime_providers_shared.so", "libonnxruntime_providers_cuda.so"];

/** The folder of onnxruntime-node's native binding that this process loads. */
export function defaultBindingDir(): string {
  const root = dirname(createRequire(import.meta.url).resolve("onnxruntime-node/package.json"));
  return join(root, "bin", "napi-v6", process.platform, process.arch);
}

export function readCudaMarker(bindingDir: string): CudaMarker | undefined {
  const path = join(bindingDir, CUDA_MARKER);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as CudaMarker) : undefined;
}

/**
 * The sonames the dynamic loader cannot find for `lib` under `ldLibraryPath` (this process's
 * own when not given), by `ldd`; undefined when ldd is not there to ask.
 */
export function unresolvedLibs(
  lib: string,
  ldLibraryPath = process.env.LD_LIBRARY_PATH,
): string[] | undefined {
  const env = { ...process.env, LD_LIBRARY_PATH: ldLibraryPath ?? "" };
  const result = spawnSync("ldd", [lib], { encoding: "utf8", env });
  if (result.error || result.status !== 0) return undefined;
  return [...result.stdout.matchAll(/^\s*(\S+) => not found/gm)].map((m) => m[1]!);
}

/**
 * Why the CUDA provider in `bindingDir` cannot serve, and how to fix it, in one sentence: read
 * from the files and the loader, since onnxruntime-node's own error says only "Failed to load
 * shared library" (the cause goes to its stderr log). `ortError` is that error, for the rest.
 */
export function cudaProblem(bindingDir: string, ortError?: string): string {
  if (process.platform !== "linux" || process.arch !== "x64")
    return `the CUDA path is provisioned for linux x64 only (this is ${process.platform} ${process.arch}): use ONNX_PROVIDER=cpu`;
  if (!PROVIDER_LIBS.every((f) => existsSync(join(bindingDir, f))))
    return `onnxruntime-node has no CUDA provider in ${bindingDir} (npm's package ships CPU only): run \`${PROVISION_CUDA}\``;
  const marker = readCudaMarker(bindingDir);
  const missing = unresolvedLibs(join(bindingDir, "libonnxruntime_providers_cuda.so"));
  const setPath = !marker
    ? `run \`${PROVISION_CUDA}\` and source the LD_LIBRARY_PATH file it writes`
    : marker.ldLibraryPath
      ? `start Node with LD_LIBRARY_PATH=${marker.ldLibraryPath} (\`. ${marker.envFile}\`)`
      : `put the host's CUDA 13 library folders on LD_LIBRARY_PATH (provisioned with --cuda-libs=none), or rerun \`${PROVISION_CUDA}\``;
  const libs = missing?.filter((l) => l !== "libcuda.so.1") ?? [];
  if (libs.length > 0)
    return `the CUDA 13 libraries are not on LD_LIBRARY_PATH (missing ${libs.join(", ")}): ${setPath}`;
  if (missing?.includes("libcuda.so.1"))
    return "no NVIDIA driver on this host (libcuda.so.1 not found; CUDA 13 needs driver 580 or later): use a GPU host or ONNX_PROVIDER=cpu";
  const said = ortError ? `onnxruntime said: ${ortError.split("\n")[0]}` : "no reason given";
  return `the CUDA provider loads but did not start (${said}): check \`nvidia-smi\` (driver 580+ for CUDA 13, a visible device) and that ${bindingDir} holds the onnxruntime-gpu 1.30.0 files from \`${PROVISION_CUDA}\``;
}
