import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ModelChange, RankerTrainingRun, Services } from "../api/services.js";
import type { Encoder } from "../embed/encoder.js";
import { trainFromLiveStore } from "../offline/training/live-training.js";
import { blendScores, rankerScores } from "../offline/training/row-scorers.js";
import type { TrainingRow } from "../offline/training/training-rows.js";
import type { Config } from "../platform/config/config.js";
import type { Logger } from "../platform/logger.js";
import { scheduleJob, type JobScheduling } from "../platform/scheduled-job.js";
import { registerRankerFile } from "../recommend/registry/configured-models.js";
import type { ModelServing } from "../recommend/registry/model-serving.js";
import type { WeaviateHandle } from "../store/weaviate-handle.js";
import type { TrainingRunLog } from "./training-runs.js";

export interface RankerTrainingOptions {
  weaviate: WeaviateHandle;
  /** The serving encoder generation's store, fixed for a whole run (a switch meanwhile must not mix two). */
  pin?: () => { weaviate: WeaviateHandle };
  /** The serving encoder: its model id, and vectors for a text the store holds none for. */
  encoder: Encoder;
  models: ModelServing;
  /** Activates a registered ranker the way the admin mutation does (clears the result cache). */
  activate(id: string, by: string): Promise<ModelChange>;
  runs: TrainingRunLog;
  settings: Config["rankerTraining"];
  coldStart: Config["coldStart"];
  cacheDir: string;
  log: Logger;
  /** The candidate's features; default: train:ranker's (those without vectors). */
  features?: string[];
}

/** One run's settings in place of the configured ones. */
export interface RunOverrides {
  features?: string[];
  minUsers?: number;
}

/**
 * The worker's ranker training (docs/ranking-and-training.md#training-from-the-live-store): one
 * run at a time, from the live store, gated against whatever serves when it starts (the registry's
 * ranker, or the fixed blend), promoted through the registry's activation so serving switches
 * without a restart, and recorded whatever it decides. The only app file that imports offline/
 * (.dependency-cruiser.cjs says why).
 */
export function rankerTraining(opts: RankerTrainingOptions) {
  const { runs, log } = opts;
  let current: Promise<RankerTrainingRun> | undefined;

  async function servingScores(rows: TrainingRow[]): Promise<number[]> {
    const lease = opts.models.acquire();
    try {
      return lease.ranker ? await rankerScores(lease.ranker, rows) : blendScores(rows);
    } finally {
      lease.release();
    }
  }

  async function execute(run: RankerTrainingRun, overrides: RunOverrides): Promise<RankerTrainingRun> {
    const out = mkdtempSync(join(tmpdir(), "ranker-candidate-"));
    try {
      const result = await trainFromLiveStore({
        live: opts.pin?.().weaviate ?? opts.weaviate,
        encoderModelId: opts.encoder.modelId,
        fallbackEncoder: opts.encoder,
        cacheDir: opts.cacheDir,
        minUsers: overrides.minUsers ?? opts.settings.minUsers,
        margin: opts.settings.margin,
        servingScores,
        out: join(out, "model.onnx"),
        coldStart: opts.coldStart,
        features: overrides.features ?? opts.features,
        log,
      });
      if (result.kind === "skipped")
        return {
          ...run,
          decision: "skipped",
          reason: result.reason,
          users: { ...run.users, eligible: result.eligibleUsers },
        };
      const recorded: RankerTrainingRun = {
        ...run,
        users: { eligible: result.eligibleUsers, train: result.trainUsers, heldOut: result.heldOutUsers },
        rows: { train: result.trainRows, heldOut: result.heldOutRows },
        figures: result.figures,
        seconds: result.seconds,
        reason: result.reason,
      };
      if (!result.promote) return { ...recorded, decision: "refused" };
      const entry = await registerRankerFile(opts.models.registry, join(out, "model.onnx"));
      const change = await opts.activate(entry.manifest.id, `ranker-training ${run.id}`);
      if (change.kind === "refused")
        return {
          ...recorded,
          decision: "refused",
          candidate: entry.manifest.id,
          reason: `passed the gate (${result.reason}) but the registry refused it: ${change.code} ${change.reason}`,
        };
      return { ...recorded, decision: "promoted", candidate: entry.manifest.id };
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }

  /**
   * Runs one training now and resolves with its record (whatever it decided); while one runs, its
   * record. `overrides` change this run's settings (tests make a worse candidate, or a higher bar).
   */
  function run(
    trigger: RankerTrainingRun["trigger"],
    by: string,
    overrides: RunOverrides = {},
  ): Promise<RankerTrainingRun> {
    if (current) return current;
    const started: RankerTrainingRun = {
      id: `run-${new Date().toISOString().replace(/[:.]/g, "-")}`,
      trigger,
      by,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      decision: "running",
      reason: "training",
      servingBefore: opts.models.serving("ranker"),
      candidate: null,
      margin: opts.settings.margin,
      users: { eligible: 0, train: 0, heldOut: 0 },
      rows: { train: 0, heldOut: 0 },
      figures: [],
      seconds: {},
    };
    runs.started(started);
    log.info("ranker training started", { run: started.id, trigger, by });
    current = execute(started, overrides)
      .catch((err: unknown) => ({ ...started, decision: "failed" as const, reason: (err as Error).message }))
      .then((done) => {
        const final = { ...done, finishedAt: new Date().toISOString() };
        runs.finished(final);
        log.info("ranker training finished", {
          run: final.id,
          decision: final.decision,
          reason: final.reason,
          candidate: final.candidate,
        });
        return final;
      })
      .finally(() => (current = undefined));
    return current;
  }

  return {
    run,
    /** The admin mutation: starts a run in the background, or says which one is running. */
    async trainRanker(by: string): ReturnType<Services["trainRanker"]> {
      const running = runs.running();
      if (running) return { started: false, message: `run ${running.id} is in progress`, runId: running.id };
      void run("admin", by);
      return { started: true, message: "training from the live store", runId: runs.running()!.id };
    },
    rankerTrainingRuns: async (first: number) => runs.list(first),
    /** Resolves when no run is in progress (shutdown waits for one, so its scratch store is closed). */
    idle: async () => void (await current?.catch(() => {})),
    /**
     * The schedule (RANKER_TRAINING_SCHEDULE, or `expr`; "off": none), one worker per firing with a
     * coordinator.
     */
    schedule(jobs: Omit<JobScheduling, "log">, expr = opts.settings.schedule): { stop(): void } {
      if (expr === "off") return { stop: () => {} };
      const task = scheduleJob("ranker-training", expr, () => run("schedule", "schedule"), { ...jobs, log });
      log.info("ranker training scheduled", { cron: expr });
      return task;
    },
  };
}

export type RankerTraining = ReturnType<typeof rankerTraining>;
