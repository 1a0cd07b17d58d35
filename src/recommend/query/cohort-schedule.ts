import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "../../platform/logger.js";

/** Runs the cohort refresh on its node-cron schedule ("off" disables it); a tick that overlaps a running refresh is skipped. */
export function scheduleCohortRefresh(
  refresh: () => Promise<unknown>,
  expr: string,
  log: Logger,
): { stop(): void } {
  if (expr === "off") return { stop: () => {} };
  let running = false;
  const task: ScheduledTask = cron.schedule(expr, async () => {
    if (running) return log.info("cohort refresh skipped: one is running");
    running = true;
    try {
      await refresh();
    } catch (err) {
      log.error("cohort refresh failed", { error: (err as Error).message });
    } finally {
      running = false;
    }
  });
  log.info("cohort refresh scheduled", { cron: expr });
  return { stop: () => void task.stop() };
}
