import cron, { type ScheduledTask } from "node-cron";
import type { Config } from "../../platform/config/config.js";
import type { Logger } from "../../platform/logger.js";
import { RunInProgressError, type IngestRunner } from "../ingest-runner.js";
import type { TikTokSource } from "../sources/source.js";

/**
 * Polls the tracked creators on two node-cron schedules: posts (profile + newest posts) and
 * comments (profile + posts + their comments). A tick that finds a run in progress is skipped
 * and logged, so runs never overlap. Each run gets a fresh source, so the request budget is per run.
 */
export function scheduleIngestion(
  runner: IngestRunner,
  makeSource: () => TikTokSource,
  cfg: Config["ingest"],
  log: Logger,
): { stop(): void } {
  const tasks: ScheduledTask[] = [];
  const plan = [
    { name: "posts", expr: cfg.schedulePosts, commentsPerVideo: 0 },
    { name: "comments", expr: cfg.scheduleComments, commentsPerVideo: cfg.commentsPerVideo },
  ];
  for (const { name, expr, commentsPerVideo } of plan) {
    if (expr === "off" || cfg.creators.length === 0) continue;
    const task = cron.schedule(expr, async () => {
      try {
        await runner.run(makeSource(), cfg.creators, {
          trigger: `schedule:${name}`,
          postsPerCreator: cfg.postsPerCreator,
          commentsPerVideo,
        });
      } catch (err) {
        if (err instanceof RunInProgressError)
          log.info("scheduled ingestion skipped: a run is in progress", { schedule: name });
        else log.error("scheduled ingestion failed", { schedule: name, error: (err as Error).message });
      }
    });
    tasks.push(task);
    log.info("ingestion scheduled", { schedule: name, cron: expr, creators: cfg.creators.length });
  }
  return { stop: () => tasks.forEach((t) => void t.stop()) };
}
