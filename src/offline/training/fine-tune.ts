import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { REPO_ROOT } from "../../platform/paths.js";
import { exportVenvPython, runPython, toolVenvPython } from "../../platform/python-venv.js";
import { unpackMiniLmCheckpoint } from "../../embed/provision-fp32.js";
import type { Logger } from "../../platform/logger.js";
import { createCrossEncoder } from "../../recommend/rerank/cross-encoder.js";
import type { FineTunePair } from "./fine-tune-pairs.js";

/** What tools/train_cross_encoder.py reports: validation AUC per negative kind before and after, per epoch. */
export interface FineTuneReport {
  device: string;
  trainPairs: number;
  validationPairs: number;
  validationUsers: number;
  before: Record<string, number | null>;
  validation: Record<string, number | null>;
  bestEpoch: number;
  epochs: unknown[];
  trainSeconds: number;
  /** Exact float32 logits of a few pairs, for the export's parity check. */
  probe: { query: string; doc: string; logit: number }[];
}

export interface FineTuneOptions {
  cacheDir: string;
  /** A Python with torch and sentence-transformers; default: the py-bench virtualenv, installed on first use. */
  python?: string;
  epochs: number;
  seed: number;
  log: Logger;
}

/** Pairs as tools/train_cross_encoder.py reads them: gzipped JSON lines. */
export function writePairs(pairs: FineTunePair[], file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, gzipSync(pairs.map((p) => JSON.stringify(p)).join("\n") + "\n"));
}

/**
 * Fine-tunes all-MiniLM-L6-v2 as a cross-encoder on the pairs (sentence-transformers, torch) and
 * writes the checkpoint into `checkpointDir`. The trainer's progress goes to stderr as it runs.
 */
export function fineTuneCrossEncoder(
  pairsFile: string,
  checkpointDir: string,
  opts: FineTuneOptions,
): FineTuneReport {
  const python =
    opts.python ?? toolVenvPython(opts.cacheDir, "py-bench", "requirements-finetune.txt", opts.log);
  const work = mkdtempSync(join(tmpdir(), "minilm-base-"));
  try {
    const base = unpackMiniLmCheckpoint(python, opts.cacheDir, work);
    const args = [
      join(REPO_ROOT, "tools", "train_cross_encoder.py"),
      "--pairs",
      pairsFile,
      "--base",
      base,
      "--out",
      checkpointDir,
      "--epochs",
      String(opts.epochs),
      "--seed",
      String(opts.seed),
    ];
    const result = spawnSync(python, args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.error) throw new Error(`${python} could not run: ${result.error.message}`);
    if (result.status !== 0)
      throw new Error(`tools/train_cross_encoder.py failed (exit ${result.status}); its output is above`);
    return readReport(checkpointDir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The figures tools/train_cross_encoder.py wrote beside its checkpoint. */
export function readReport(checkpointDir: string): FineTuneReport {
  const file = join(checkpointDir, "training-report.json");
  if (!existsSync(file))
    throw new Error(
      `${checkpointDir} has no training-report.json: not a checkpoint from tools/train_cross_encoder.py`,
    );
  return JSON.parse(readFileSync(file, "utf8")) as FineTuneReport;
}

/**
 * Exports a fine-tuned checkpoint to ONNX with the standard contract (tools/make_cross_encoder_onnx.py,
 * no torch) at `out`, its tokenizer beside it where RERANK_MODEL looks, and manifest.json. Then the
 * exported model, loaded by the serving code, must reproduce the trainer's logits on its probe
 * pairs; returns the largest difference.
 */
export async function exportCrossEncoder(
  checkpointDir: string,
  out: string,
  manifest: Record<string, unknown>,
  cacheDir: string,
  log: Logger,
): Promise<number> {
  const report = readReport(checkpointDir);
  for (const file of ["config.json", "model.safetensors", "tokenizer.json"]) {
    if (!existsSync(join(checkpointDir, file)))
      throw new Error(`${checkpointDir} has no ${file}: not a checkpoint from tools/train_cross_encoder.py`);
  }
  const python = exportVenvPython(cacheDir, log);
  const dir = dirname(out);
  mkdirSync(dir, { recursive: true });
  const partial = join(dir, `.partial-${basename(out)}`);
  runPython(python, [
    join(REPO_ROOT, "tools", "make_cross_encoder_onnx.py"),
    "--weights",
    checkpointDir,
    "--out",
    partial,
  ]);
  try {
    const gap = await probeGap(partial, checkpointDir, report.probe);
    if (!(gap < PARITY_TOLERANCE))
      throw new Error(
        `the exported model's logits differ from the trainer's by ${gap} (tolerance ${PARITY_TOLERANCE}): not writing ${out}`,
      );
    for (const file of ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]) {
      if (existsSync(join(checkpointDir, file))) copyFileSync(join(checkpointDir, file), join(dir, file));
    }
    const { probe: _texts, ...figures } = report; // the probe holds users' comments: not for the manifest
    writeFileSync(
      join(dir, "manifest.json"),
      `${JSON.stringify({ ...manifest, ...figures, parityMaxAbsLogitGap: gap }, null, 2)}\n`,
    );
    renameSync(partial, out); // last, so a reader never finds a model without its tokenizer and manifest
    return gap;
  } finally {
    rmSync(partial, { force: true });
  }
}

const PARITY_TOLERANCE = 1e-3;

async function probeGap(
  modelPath: string,
  tokenizerDir: string,
  probe: FineTuneReport["probe"],
): Promise<number> {
  if (probe.length === 0)
    throw new Error("the training report has no probe pairs to check the export against");
  const encoder = await createCrossEncoder({ modelPath, tokenizerDir, modelId: "export-check" });
  try {
    const scores = await encoder.score(
      probe.map((p) => encoder.pair(encoder.tokens(p.query), encoder.tokens(p.doc))),
    );
    return Math.max(...probe.map((p, i) => Math.abs(scores[i]! - p.logit)));
  } finally {
    await encoder.dispose();
  }
}
