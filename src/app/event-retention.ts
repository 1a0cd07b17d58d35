import cron from "node-cron";
import type { EventStore } from "../events/event-store.js";
import type { Logger } from "../platform/logger.js";

/**
 * Deletes events past EVENTS_RETENTION_DAYS now and on its node-cron schedule ("off": only at
 * start). Several replicas may run it at once; a delete by age is idempotent, so that is harmless.
 */
export function scheduleEventRetention(store: EventStore, expr: string, log: Logger): { stop(): void } {
  const run = async () => {
    try {
      const deleted = await store.applyRetention();
      if (deleted.events > 0 || deleted.pages > 0) log.info("events past retention deleted", deleted);
    } catch (err) {
      log.warn("event retention failed; it runs again on schedule", { error: (err as Error).message });
    }
  };
  void run();
  if (expr === "off") return { stop: () => {} };
  const task = cron.schedule(expr, run);
  return { stop: () => void task.stop() };
}
