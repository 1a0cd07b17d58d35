import { hostname } from "node:os";
import type { EventStore } from "../events/event-store.js";
import type { Config } from "../platform/config/config.js";
import type { Logger } from "../platform/logger.js";
import type { Metrics } from "../platform/metrics.js";
import type { JobScheduling } from "../platform/scheduled-job.js";

/** This process, as the job_runs table names the worker that ran a firing. */
export const WORKER_ID = `${hostname()}:${process.pid}`;

/**
 * How this process's scheduled jobs are coordinated: through the event store when there is one
 * (a claim per firing in PostgreSQL, so any number of workers run each firing once), else alone.
 * Every firing's outcome is counted at /metrics as scheduled_jobs_total{job, outcome}.
 */
export function jobScheduling(
  config: Pick<Config, "role">,
  events: EventStore | undefined,
  metrics: Metrics,
  log: Logger,
): Omit<JobScheduling, "log"> {
  metrics.describe(
    "scheduled_jobs_total",
    "Firings of scheduled jobs in this process: ran, failed, not-elected (another worker ran it), coordinator-error, overlap",
  );
  const onOutcome = (job: string, outcome: string) => metrics.count("scheduled_jobs_total", { job, outcome });
  if (!events) {
    if (config.role === "worker")
      log.warn(
        "no event store: scheduled jobs are not shared, so run only one worker (set EVENTS_DATABASE_URL)",
      );
    return { onOutcome };
  }
  return { coordinator: events.jobCoordinator(WORKER_ID), onOutcome };
}
