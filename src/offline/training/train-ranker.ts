import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "../../platform/paths.js";
import { toolVenvPython } from "../../platform/python-venv.js";
import type { Logger } from "../../platform/logger.js";
import { FEATURES } from "../../recommend/rank/ranking-features.js";
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
 * a subset of the features (e.g. the point-in-time ones).
 */
export function fitRanker(
  rows: TrainingRow[],
  out: string,
  cacheDir: string,
  log: Logger,
  extra: Record<string, unknown> = {},
  only?: (name: string) => boolean,
): RankerManifest {
  if (rows.length === 0 || !rows.some((r) => r.label === 1) || !rows.some((r) => r.label === 0))
    throw new Error("no training rows with both labels: nothing to learn from");
  const python = toolVenvPython(cacheDir, "py-train", "requirements-train.txt", log);
  const work = mkdtempSync(join(tmpdir(), "train-ranker-"));
  try {
    const csv = join(work, "rows.csv");
    const keep = FEATURES.map((f, i) => [f.name, i] as const).filter(([name]) => !only || only(name));
    const header = ["user", "label", ...keep.map(([name]) => name)].join(",");
    writeFileSync(
      csv,
      `${header}\n${rows.map((r) => [JSON.stringify(r.userId), r.label, ...keep.map(([, i]) => r.features[i])].join(",")).join("\n")}\n`,
    );
    const result = spawnSync(
      python,
      [join(REPO_ROOT, "tools", "train_ranker.py"), "--csv", csv, "--out", join(work, "model.onnx")],
      { encoding: "utf8" },
    );
    if (result.status !== 0)
      throw new Error(
        `tools/train_ranker.py failed:\n${(result.stderr || result.error?.message || "").trim().split("\n").slice(-8).join("\n")}`,
      );
    const fitted = JSON.parse(result.stdout.trim().split("\n").at(-1)!) as RankerManifest;
    const used = new Set(keep.map(([name]) => name as string));
    const manifest: RankerManifest = {
      ...fitted,
      trainedAt: new Date().toISOString(),
      notPointInTime: FEATURES.filter((f) => !f.pointInTime && used.has(f.name)).map((f) => f.name),
      ...extra,
    };
    mkdirSync(dirname(out), { recursive: true });
    renameSync(join(work, "model.onnx"), out);
    writeFileSync(join(dirname(out), "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
