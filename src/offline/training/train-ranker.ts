import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "../../platform/paths.js";
import { toolVenvPython } from "../../platform/python-venv.js";
import type { Logger } from "../../platform/logger.js";
import { FEATURES } from "../../recommend/rank/ranking-features.js";
import { PAIR_SCORER_FILE } from "../../recommend/rank/pair-scorer.js";
import type { TrainingRow } from "./training-rows.js";

export interface RankerManifest {
  model: string;
  trainedAt: string;
  features: string[];
  notPointInTime: string[];
  rows: number;
  positives: number;
  users: number;
  validationMeanUserAuc: Record<string, number>;
  fitSeconds: Record<string, number>;
  refitSeconds: number;
  [extra: string]: unknown;
}

/**
 * Fits the ranker on the rows with tools/train_ranker.py (scikit-learn, in the py-train
 * virtualenv under CACHE_DIR) and writes `out` (ONNX) with manifest.json beside it. `only` keeps
 * a subset of the features (e.g. the point-in-time ones). Synchronous: for commands; a serving
 * process uses fitRankerAsync, which leaves its event loop free while Python fits.
 */
export function fitRanker(
  rows: TrainingRow[],
  out: string,
  cacheDir: string,
  log: Logger,
  extra: Record<string, unknown> = {},
  only?: (name: string) => boolean,
): RankerManifest {
  const fit = prepareFit(rows, cacheDir, log, only);
  try {
    const result = spawnSync(fit.python, fit.args, {
      // stderr straight through: the script's progress lines, and its traceback when it fails.
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    if (result.status !== 0)
      throw new Error(
        `tools/train_ranker.py failed (${result.error?.message ?? `exit ${result.status}`}): its error is printed above`,
      );
    return finishFit(fit, result.stdout, out, extra);
  } finally {
    rmSync(fit.work, { recursive: true, force: true });
  }
}

/** fitRanker without blocking the event loop: the same script, files and manifest. */
export async function fitRankerAsync(
  rows: TrainingRow[],
  out: string,
  cacheDir: string,
  log: Logger,
  extra: Record<string, unknown> = {},
  only?: (name: string) => boolean,
): Promise<RankerManifest> {
  const fit = prepareFit(rows, cacheDir, log, only);
  try {
    const stdout = await new Promise<string>((resolvePromise, reject) => {
      const child = spawn(fit.python, fit.args, { stdio: ["ignore", "pipe", "inherit"] });
      let text = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      child.on("error", reject);
      child.on("close", (code) =>
        code === 0
          ? resolvePromise(text)
          : reject(new Error(`tools/train_ranker.py failed (exit ${code}): its error is printed above`)),
      );
    });
    return finishFit(fit, stdout, out, extra);
  } finally {
    rmSync(fit.work, { recursive: true, force: true });
  }
}

interface PreparedFit {
  python: string;
  work: string;
  args: string[];
  keep: (readonly [string, number])[];
  pairs: boolean;
}

/** The rows as the script's CSV (and pair rows) in a scratch folder, and its command line. */
function prepareFit(
  rows: TrainingRow[],
  cacheDir: string,
  log: Logger,
  only?: (name: string) => boolean,
): PreparedFit {
  if (rows.length === 0 || !rows.some((r) => r.label === 1) || !rows.some((r) => r.label === 0))
    throw new Error("no training rows with both labels: nothing to learn from");
  const python = toolVenvPython(cacheDir, "py-train", "requirements-train.txt", log);
  const work = mkdtempSync(join(tmpdir(), "train-ranker-"));
  const csv = join(work, "rows.csv");
  const keep = FEATURES.map((f, i) => [f.name as string, i] as const).filter(([name]) => !only || only(name));
  const header = ["user", "label", "kinds", ...keep.map(([name]) => name)].join(",");
  writeFileSync(
    csv,
    `${header}\n${rows.map((r) => [JSON.stringify(r.userId), r.label, r.kinds.join("+"), ...keep.map(([, i]) => r.features[i])].join(",")).join("\n")}\n`,
  );
  const pairArgs = keep.some(([name]) => name === "pairScore") ? writePairs(rows, work) : [];
  const args = [
    join(REPO_ROOT, "tools", "train_ranker.py"),
    "--csv",
    csv,
    "--out",
    join(work, "model.onnx"),
    ...pairArgs,
  ];
  return { python, work, args, keep, pairs: pairArgs.length > 0 };
}

/** Moves the fitted files to `out` and writes manifest.json beside them. */
function finishFit(
  fit: PreparedFit,
  stdout: string,
  out: string,
  extra: Record<string, unknown>,
): RankerManifest {
  const fitted = JSON.parse(stdout.trim().split("\n").at(-1)!) as RankerManifest;
  const used = new Set(fit.keep.map(([name]) => name));
  const manifest: RankerManifest = {
    ...fitted,
    trainedAt: new Date().toISOString(),
    notPointInTime: FEATURES.filter((f) => !f.pointInTime && used.has(f.name)).map((f) => f.name),
    ...extra,
  };
  mkdirSync(dirname(out), { recursive: true });
  if (fit.pairs) renameSync(join(fit.work, PAIR_SCORER_FILE), join(dirname(out), PAIR_SCORER_FILE));
  renameSync(join(fit.work, "model.onnx"), out);
  writeFileSync(join(dirname(out), "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * The pair scorer's rows as raw little-endian float32, in row order (a CSV of 768 columns would be
 * ten times larger), and the flags that hand them to tools/train_ranker.py.
 */
function writePairs(rows: TrainingRow[], work: string): string[] {
  const width = rows[0]!.pairInputs.length;
  const all = new Float32Array(rows.length * width);
  rows.forEach((r, i) => {
    if (r.pairInputs.length !== width)
      throw new Error(`pair rows of ${r.pairInputs.length} and ${width} columns`);
    all.set(r.pairInputs, i * width);
  });
  const path = join(work, "pairs.f32");
  writeFileSync(path, new Uint8Array(all.buffer));
  return ["--pairs", path, "--pair-width", String(width), "--pair-out", join(work, PAIR_SCORER_FILE)];
}
