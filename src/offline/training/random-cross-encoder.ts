import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../../platform/paths.js";
import { exportVenvPython, runPython } from "../../platform/python-venv.js";
import type { Logger } from "../../platform/logger.js";

/**
 * Cross-encoders with random weights and the standard contract, for tests and benchmarks only
 * (no trained weights are obtainable offline). "minilm" has ms-marco-MiniLM-L-6-v2's
 * architecture, so its timings are honest; "tiny" keeps tests fast. Their scores mean nothing.
 */
export const RANDOM_CROSS_ENCODERS = {
  tiny: { layers: 2, hidden: 64, heads: 2, intermediate: 128 },
  minilm: { layers: 6, hidden: 384, heads: 12, intermediate: 1536 },
} as const;

export type RandomCrossEncoderSize = keyof typeof RANDOM_CROSS_ENCODERS;

/** Path of the model, built by tools/make_cross_encoder_onnx.py under CACHE_DIR when missing. */
export function randomCrossEncoder(cacheDir: string, size: RandomCrossEncoderSize, log: Logger): string {
  const target = join(cacheDir, "models", "random-cross-encoder", `${size}.onnx`);
  if (existsSync(target)) return target;
  const python = exportVenvPython(cacheDir, log);
  const arch = RANDOM_CROSS_ENCODERS[size];
  log.info("building a random-weight cross-encoder", { size, target });
  runPython(python, [
    join(REPO_ROOT, "tools", "make_cross_encoder_onnx.py"),
    "--out",
    target,
    ...Object.entries(arch).flatMap(([k, v]) => [`--${k}`, String(v)]),
  ]);
  return target;
}
