import type { EventStore } from "../events/event-store.js";
import type { Logger } from "../platform/logger.js";
import { scheduleJob, type JobScheduling } from "../platform/scheduled-job.js";

/**
 * Deletes events past EVENTS_RETENTION_DAYS now and on its node-cron schedule ("off": only at
 * start). A delete by age is idempotent, so the run at start needs no claim; the scheduled
 * firings take one like every other job.
 */
export function scheduleEventRetention(
  store: EventStore,
  expr: string,
  log: Logger,
  jobs: Omit<JobScheduling, "log"> = {},
): { stop(): void } {
  const run = async () => {
    const deleted = await store.applyRetention();
    if (deleted.events > 0 || deleted.pages > 0) log.info("events past retention deleted", deleted);
  };
  run().catch((err: Error) =>
    log.warn("event retention failed; it runs again on schedule", { error: err.message }),
  );
  return scheduleJob("event-retention", expr, run, { ...jobs, log });
}
