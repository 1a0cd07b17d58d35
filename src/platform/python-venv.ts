import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./paths.js";
import type { Logger } from "./logger.js";

/**
 * The private Python 3.11 virtualenv (onnx, numpy, safetensors; no torch) that our ONNX-writing
 * tools in tools/ run in. Created under CACHE_DIR on first use; returns its python.
 */
export function exportVenvPython(cacheDir: string, log: Logger): string {
  return toolVenvPython(cacheDir, "py-export", "requirements-export.txt", log);
}

/** A private virtualenv under CACHE_DIR with one of tools/requirements-*.txt installed; returns its python. */
export function toolVenvPython(cacheDir: string, name: string, requirements: string, log: Logger): string {
  const venv = join(cacheDir, name);
  const python = join(venv, "bin", "python");
  if (!existsSync(python)) {
    log.info(`creating the ${name} virtualenv (tools/${requirements})`, { venv });
    runPython(process.env.PYTHON ?? "python3", ["-m", "venv", venv]);
  }
  runPython(python, [
    "-m",
    "pip",
    "install",
    "-q",
    "--disable-pip-version-check",
    "-r",
    join(REPO_ROOT, "tools", requirements),
  ]);
  return python;
}

/** Runs a Python command to completion; a failure throws with the last lines of its stderr. */
export function runPython(cmd: string, args: string[]): void {
  const result = spawnSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "inherit", "pipe"] });
  if (result.error) throw new Error(`${cmd} could not run: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(
      `${cmd} ${args.slice(0, 2).join(" ")} failed:\n${result.stderr.trim().split("\n").slice(-8).join("\n")}`,
    );
}
