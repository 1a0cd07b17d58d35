import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { RankerTrainingRun } from "../api/services.js";

export const TRAINING_RUNS_FILE = "training-runs.jsonl";

/**
 * The record of every ranker training run: one JSON line per finished run in the model registry's
 * folder (MODEL_REGISTRY_DIR/training-runs.jsonl), beside the models and active.json it changes,
 * so a restart or a backup of the registry keeps them; the run in progress is held in memory
 * until it ends. Appending one line is atomic enough for one worker; two workers sharing a
 * registry folder each append their own runs (the schedule's coordinator runs each firing once).
 */
export function trainingRunLog(registry: string) {
  const path = join(registry, TRAINING_RUNS_FILE);
  let running: RankerTrainingRun | undefined;
  const finished = (): RankerTrainingRun[] =>
    existsSync(path)
      ? readFileSync(path, "utf8")
          .split("\n")
          .filter((line) => line.trim())
          .map((line) => JSON.parse(line) as RankerTrainingRun)
      : [];
  return {
    path,
    started(run: RankerTrainingRun): void {
      running = run;
    },
    finished(run: RankerTrainingRun): void {
      mkdirSync(registry, { recursive: true });
      appendFileSync(path, `${JSON.stringify(run)}\n`);
      if (running?.id === run.id) running = undefined;
    },
    running: () => running,
    /** Newest first, the one in progress at the top. */
    list(first: number): RankerTrainingRun[] {
      const all = [...finished()].reverse();
      return (running ? [running, ...all] : all).slice(0, first);
    },
  };
}

export type TrainingRunLog = ReturnType<typeof trainingRunLog>;
