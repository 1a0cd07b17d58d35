import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CUDA_LIB_WHEELS, CUDA_SONAMES } from "./cuda-pins.js";
import { extractMembers, fetchWheels, listMembers, type Progress } from "./cuda-wheels.js";

/**
 * Where the CUDA 13 libraries come from: the pinned PyPI wheels unpacked into the cache, or the
 * ones a CUDA 13 torch already installed (site-packages/nvidia/cu13/lib, nvidia/cudnn/lib).
 * "auto" takes torch's when every soname is there, else PyPI; "none" leaves them to the host.
 */
export type CudaLibsSource = "auto" | "pypi" | "torch" | "none";

export interface CudaLibs {
  source: "pypi" | "torch" | "none";
  /** The folders LD_LIBRARY_PATH must list before Node starts (the provider has no RUNPATH). */
  dirs: string[];
}

/** Folders holding each of CUDA_SONAMES, or the sonames none of them has. */
function coverage(dirs: string[]): { dirs: string[]; missing: string[] } {
  const used = new Set<string>();
  const missing: string[] = [];
  for (const soname of CUDA_SONAMES) {
    const dir = dirs.find((d) => existsSync(join(d, soname)));
    if (dir) used.add(dir);
    else missing.push(soname);
  }
  return { dirs: [...used], missing };
}

/** site-packages/nvidia/<x>/lib of the python that has torch, when it has CUDA 13 libraries. */
export function torchCudaLibs(): { dirs: string[]; missing: string[]; where?: string } {
  const script =
    "import os,torch\nprint(os.path.join(os.path.dirname(os.path.dirname(torch.__file__)),'nvidia'))";
  const result = spawnSync(process.env.PYTHON ?? "python3", ["-c", script], { encoding: "utf8" });
  const nvidia = result.status === 0 ? result.stdout.trim() : "";
  if (!nvidia || !existsSync(nvidia)) return { dirs: [], missing: [...CUDA_SONAMES] };
  const dirs = readdirSync(nvidia)
    .map((d) => join(nvidia, d, "lib"))
    .filter(existsSync);
  return { ...coverage(dirs), where: nvidia };
}

/** The PyPI wheels unpacked as <cacheDir>/cuda/libs-cuda13.0/nvidia/<x>/lib, once (a marker says so). */
function pypiCudaLibs(cacheDir: string, progress: Progress): string[] {
  const root = join(cacheDir, "cuda", "libs-cuda13.0");
  const marker = join(root, ".unpacked.json");
  const specs = CUDA_LIB_WHEELS.map((w) => w.spec);
  const unpacked = existsSync(marker) && readFileSync(marker, "utf8") === JSON.stringify(specs);
  if (!unpacked) {
    const wheels = fetchWheels(CUDA_LIB_WHEELS, join(cacheDir, "cuda", "wheels"), progress);
    for (const wheel of wheels) {
      const members = listMembers(wheel, /^nvidia\/[^/]+\/lib\/[^/]+\.so[.0-9]*$/);
      progress(`  unpacking ${members.length} libraries of ${wheel.split("/").pop()}`);
      extractMembers(
        wheel,
        members.map((m) => ({ member: m, target: join(root, m) })),
      );
    }
    writeFileSync(marker, JSON.stringify(specs));
  } else progress(`  CUDA 13 libraries already unpacked in ${root}`);
  const dirs = readdirSync(join(root, "nvidia")).map((d) => join(root, "nvidia", d, "lib"));
  const { dirs: used, missing } = coverage(dirs);
  if (missing.length > 0) throw new Error(`the pinned CUDA wheels lack ${missing.join(", ")} (in ${root})`);
  return used;
}

/** The CUDA 13 libraries from `source`, with what was chosen and why on `progress`. */
export function provideCudaLibs(source: CudaLibsSource, cacheDir: string, progress: Progress): CudaLibs {
  if (source === "none") {
    progress("  CUDA libraries: left to the host (--cuda-libs=none); LD_LIBRARY_PATH must already list them");
    return { source: "none", dirs: [] };
  }
  if (source !== "pypi") {
    const torch = torchCudaLibs();
    if (torch.missing.length === 0) {
      progress(`  CUDA libraries: torch's, in ${torch.where} (no download)`);
      return { source: "torch", dirs: torch.dirs };
    }
    const why = torch.where
      ? `torch's ${torch.where} lacks ${torch.missing.join(", ")}`
      : "no python3 with torch found";
    if (source === "torch") throw new Error(`--cuda-libs=torch: ${why}`);
    progress(`  CUDA libraries: from PyPI (${why})`);
  }
  return { source: "pypi", dirs: pypiCudaLibs(cacheDir, progress) };
}

/** A shell file that sets LD_LIBRARY_PATH for the service: `. <file>` before `npm start`. */
export function writeCudaEnv(file: string, dirs: string[]): void {
  const line =
    dirs.length > 0 ? `${dirs.join(":")}\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}` : "$LD_LIBRARY_PATH";
  writeFileSync(
    file,
    `# Written by npm run provision -- --cuda: the CUDA 13 libraries onnxruntime's CUDA provider loads.\n` +
      `# Source it before Node starts (the dynamic loader reads LD_LIBRARY_PATH once, at process start).\n` +
      `export LD_LIBRARY_PATH="${line}"\n`,
  );
}
