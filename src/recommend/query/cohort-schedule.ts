import type { Logger } from "../../platform/logger.js";
import { scheduleJob, type JobScheduling } from "../../platform/scheduled-job.js";

/**
 * Runs the cohort refresh on its node-cron schedule ("off" disables it); a tick that overlaps a
 * running refresh is skipped, and with a coordinator one worker of several runs each firing.
 */
export function scheduleCohortRefresh(
  refresh: () => Promise<unknown>,
  expr: string,
  log: Logger,
  jobs: Omit<JobScheduling, "log"> = {},
): { stop(): void } {
  if (expr === "off") return { stop: () => {} };
  const task = scheduleJob("cohort-refresh", expr, refresh, { ...jobs, log });
  log.info("cohort refresh scheduled", { cron: expr });
  return task;
}
