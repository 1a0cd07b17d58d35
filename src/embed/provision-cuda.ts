import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { provideCudaLibs, writeCudaEnv, type CudaLibs, type CudaLibsSource } from "./cuda-libs.js";
import {
  CUDA_MARKER,
  defaultBindingDir,
  PROVIDER_LIBS,
  readCudaMarker,
  unresolvedLibs,
  type CudaMarker,
} from "./cuda-diagnosis.js";
import { ORT_GPU_CORE_SHA256, ORT_GPU_MEMBERS, ORT_GPU_WHEEL } from "./cuda-pins.js";
import { extractMembers, fetchWheels, sha256Streamed, type Progress } from "./cuda-wheels.js";
import { installedOrtGpu } from "./installed-ort-gpu.js";

/** npm's own CPU libonnxruntime.so.1, kept beside the swapped one so `--cpu` can undo the swap. */
export const CPU_BACKUP = "libonnxruntime.so.1.npm-cpu";

export interface ProvisionCudaOptions {
  /** The binding folder to swap (tests pass a scratch copy); defaults to the one Node loads. */
  bindingDir?: string;
  cacheDir: string;
  libs: CudaLibsSource;
  progress: Progress;
  /** The LD_LIBRARY_PATH file; defaults to <cacheDir>/cuda/cuda-env.sh (tests write their own). */
  envFile?: string;
}

export interface CudaProvisioned {
  bindingDir: string;
  binding: "present" | "swapped";
  libs: CudaLibs;
  /** What LD_LIBRARY_PATH must be before Node starts; also in `envFile`. */
  ldLibraryPath: string;
  envFile: string;
  /** Sonames still unresolved with that path: libcuda.so.1 alone means only the driver is missing. */
  unresolved?: string[];
}

/**
 * Swaps onnxruntime-gpu 1.30.0's libonnxruntime.so.1 and its two provider libraries into the
 * binding folder (npm's CPU library kept as CPU_BACKUP), provides the CUDA 13 libraries, and
 * writes the LD_LIBRARY_PATH file. Idempotent: a finished swap of the same wheel is left alone.
 */
export function provisionCuda(opts: ProvisionCudaOptions): CudaProvisioned {
  const { progress } = opts;
  if (process.platform !== "linux" || process.arch !== "x64")
    throw new Error(
      `the CUDA path is provisioned for linux x64 only (this is ${process.platform} ${process.arch})`,
    );
  const bindingDir = opts.bindingDir ?? defaultBindingDir();
  const lib = join(bindingDir, "libonnxruntime.so.1");
  if (!existsSync(lib)) throw new Error(`${lib} is missing: is onnxruntime-node installed (npm ci)?`);
  progress(`onnxruntime-gpu for ${bindingDir}`);
  const marker = readCudaMarker(bindingDir);
  const inPlace =
    marker?.ort === ORT_GPU_WHEEL.spec &&
    !existsSync(join(bindingDir, CUDA_MARKER + ".part")) &&
    PROVIDER_LIBS.every((f) => existsSync(join(bindingDir, f)));
  let binding: CudaProvisioned["binding"] = "present";
  if (!inPlace) {
    const wheels = join(opts.cacheDir, "cuda", "wheels");
    // No cached wheel: an installed onnxruntime-gpu 1.30.0 saves the download (a GPU host offline).
    const installed = existsSync(join(wheels, ORT_GPU_WHEEL.file)) ? undefined : installedOrtGpu(progress);
    const [wheel] = installed ? [] : fetchWheels([ORT_GPU_WHEEL], wheels, progress);
    // The backup is taken once, from npm's library: a second run must not back up the GPU one.
    if (!existsSync(join(bindingDir, CPU_BACKUP))) {
      copyFileSync(lib, join(bindingDir, CPU_BACKUP));
      progress(`  kept npm's CPU library as ${CPU_BACKUP} (${(statSync(lib).size / 1e6).toFixed(1)} MB)`);
    }
    writeFileSync(join(bindingDir, CUDA_MARKER + ".part"), "swap in progress\n");
    if (installed) {
      progress(`  from the installed onnxruntime-gpu 1.30.0 in ${installed} (no download)`);
      for (const m of ORT_GPU_MEMBERS) {
        const target = join(bindingDir, m.as);
        copyFileSync(join(installed, basename(m.member)), `${target}.part`);
        renameSync(`${target}.part`, target);
      }
    } else
      extractMembers(
        wheel!,
        ORT_GPU_MEMBERS.map((m) => ({ member: m.member, target: join(bindingDir, m.as) })),
      );
    const core = sha256Streamed(lib);
    if (core !== ORT_GPU_CORE_SHA256)
      throw new Error(`${lib}: sha256 ${core}, expected ${ORT_GPU_CORE_SHA256}`);
    for (const m of ORT_GPU_MEMBERS)
      progress(`  placed ${m.as} (${(statSync(join(bindingDir, m.as)).size / 1e6).toFixed(1)} MB)`);
    binding = "swapped";
  } else progress(`  already swapped in (${marker!.at})`);
  const libs = provideCudaLibs(opts.libs, opts.cacheDir, progress);
  const envFile = opts.envFile ?? join(opts.cacheDir, "cuda", "cuda-env.sh");
  mkdirSync(dirname(envFile), { recursive: true });
  writeCudaEnv(envFile, libs.dirs);
  const ldLibraryPath = libs.dirs.join(":");
  const written: CudaMarker = {
    ort: ORT_GPU_WHEEL.spec,
    libsSource: libs.source,
    ldLibraryPath,
    envFile,
    at: binding === "swapped" ? new Date().toISOString() : marker!.at,
  };
  writeFileSync(join(bindingDir, CUDA_MARKER), `${JSON.stringify(written, null, 2)}\n`);
  rmSync(join(bindingDir, CUDA_MARKER + ".part"), { force: true });
  const provider = join(bindingDir, "libonnxruntime_providers_cuda.so");
  const unresolved =
    libs.source === "none"
      ? undefined
      : unresolvedLibs(provider, [ldLibraryPath, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":"));
  return { bindingDir, binding, libs, ldLibraryPath, envFile, unresolved };
}

/** Undoes provisionCuda: npm's CPU library back, the provider libraries and the marker gone. */
export function restoreCpuBinding(bindingDir = defaultBindingDir()): "restored" | "already cpu" {
  const backup = join(bindingDir, CPU_BACKUP);
  const hadProvider = PROVIDER_LIBS.some((f) => existsSync(join(bindingDir, f)));
  if (!existsSync(backup) && !hadProvider) return "already cpu";
  if (!existsSync(backup))
    throw new Error(
      `${bindingDir} has CUDA provider files but no ${CPU_BACKUP} to restore: reinstall onnxruntime-node (npm ci)`,
    );
  renameSync(backup, join(bindingDir, "libonnxruntime.so.1"));
  for (const f of [...PROVIDER_LIBS, CUDA_MARKER]) rmSync(join(bindingDir, f), { force: true });
  return "restored";
}
