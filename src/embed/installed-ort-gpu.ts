import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ORT_GPU_CORE_SHA256, ORT_GPU_MEMBERS } from "./cuda-pins.js";
import { sha256Streamed, type Progress } from "./cuda-wheels.js";

/**
 * The capi/ folder of an onnxruntime-gpu 1.30.0 installed in python3's environment, when its
 * libonnxruntime.so.1.30.0 is the pinned one: on a GPU host without network that already has
 * it, the provisioning copies from there instead of downloading the wheel. Asked through
 * importlib (no import of onnxruntime itself, which would load CUDA).
 */
export function installedOrtGpu(progress: Progress): string | undefined {
  const script = [
    "from importlib import metadata, util",
    "spec = util.find_spec('onnxruntime')",
    "print(metadata.version('onnxruntime-gpu'))",
    "print(spec.submodule_search_locations[0])",
  ].join("\n");
  const result = spawnSync(process.env.PYTHON ?? "python3", ["-c", script], { encoding: "utf8" });
  if (result.status !== 0) return undefined;
  const [version, pkg] = result.stdout.trim().split("\n");
  if (version !== "1.30.0" || !pkg) {
    progress(`  python3 has onnxruntime-gpu ${version}, not 1.30.0: not used`);
    return undefined;
  }
  const capi = join(pkg, "capi");
  const files = ORT_GPU_MEMBERS.map((m) => join(capi, m.member.split("/").pop()!));
  if (!files.every(existsSync)) return undefined;
  if (sha256Streamed(files[0]!) !== ORT_GPU_CORE_SHA256) {
    progress(`  ${files[0]} is not the pinned build (sha256 differs): not used`);
    return undefined;
  }
  return capi;
}
