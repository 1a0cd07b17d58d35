import cron, { type TaskContext } from "node-cron";
import type { Logger } from "./logger.js";

/**
 * Decides which of several workers runs one firing of a scheduled job (node-cron's
 * RunCoordinator contract). The key is `<job>:<the slot's ISO time>`, the same on every worker,
 * so the first to claim it runs it and the others skip that slot. A coordinator that fails makes
 * node-cron skip the slot (fail closed): a job never runs twice because its store was down.
 */
export interface JobCoordinator {
  shouldRun(key: string, ttlMs: number): Promise<boolean>;
  onComplete(key: string): Promise<void>;
}

/**
 * What happened to one firing, as /metrics counts it: it ran (and did or did not fail), another
 * worker had claimed it, the coordinator could not be asked, or the previous run still ran.
 */
export type JobOutcome = "ran" | "failed" | "not-elected" | "coordinator-error" | "overlap";

export interface JobScheduling {
  /** Shared by every worker: one run per slot across all of them. Absent: this process alone decides. */
  coordinator?: JobCoordinator;
  log: Logger;
  onOutcome?: (job: string, outcome: JobOutcome) => void;
}

/**
 * Schedules `run` on a node-cron expression ("off": never) as the job `name`: never two runs
 * of it at once in this process, and with a coordinator once per slot across workers. A run that
 * throws is logged and counted; the schedule goes on.
 */
export function scheduleJob(
  name: string,
  expr: string,
  run: () => Promise<unknown>,
  opts: JobScheduling,
): { stop(): void } {
  if (expr === "off") return { stop: () => {} };
  const { coordinator, log } = opts;
  const outcome = (o: JobOutcome) => opts.onOutcome?.(name, o);
  const task = cron.schedule(
    expr,
    async () => {
      try {
        await run();
        outcome("ran");
      } catch (err) {
        outcome("failed");
        log.error("scheduled job failed", { job: name, error: (err as Error).message });
      }
    },
    coordinator
      ? { name, noOverlap: true, distributed: true, runCoordinator: coordinator }
      : { name, noOverlap: true },
  );
  task.on("execution:overlap", () => {
    outcome("overlap");
    log.info(`scheduled job skipped: a run is in progress`, { job: name });
  });
  task.on("execution:skipped", (ctx: TaskContext) => {
    outcome(ctx.reason === "not-elected" ? "not-elected" : "coordinator-error");
    if (ctx.reason !== "not-elected")
      log.warn("scheduled job skipped: its coordinator did not answer", { job: name, slot: ctx.date });
  });
  return { stop: () => void task.stop() };
}
