import type { Config } from "../../platform/config/config.js";
import type { Logger } from "../../platform/logger.js";
import { scheduleJob, type JobScheduling } from "../../platform/scheduled-job.js";
import { RunInProgressError, type IngestRunner } from "../ingest-runner.js";
import type { TikTokSource } from "../sources/source.js";

/**
 * Polls the tracked creators on two node-cron schedules: posts (profile + newest posts) and
 * comments (profile + posts + their comments). A tick that finds a run in progress is skipped
 * and logged, so runs never overlap. Each run gets a fresh source, so the request budget is per
 * run. With a coordinator (the event store's), several workers run each firing once between them.
 */
export function scheduleIngestion(
  runner: IngestRunner,
  makeSource: () => TikTokSource,
  cfg: Config["ingest"],
  log: Logger,
  jobs: Omit<JobScheduling, "log"> = {},
): { stop(): void } {
  const tasks: { stop(): void }[] = [];
  const plan = [
    { name: "posts", expr: cfg.schedulePosts, commentsPerVideo: 0 },
    { name: "comments", expr: cfg.scheduleComments, commentsPerVideo: cfg.commentsPerVideo },
  ];
  for (const { name, expr, commentsPerVideo } of plan) {
    if (expr === "off" || cfg.creators.length === 0) continue;
    const run = async () => {
      try {
        await runner.run(makeSource(), cfg.creators, {
          trigger: `schedule:${name}`,
          postsPerCreator: cfg.postsPerCreator,
          commentsPerVideo,
        });
      } catch (err) {
        if (!(err instanceof RunInProgressError)) throw err;
        log.info("scheduled ingestion skipped: a run is in progress", { schedule: name });
      }
    };
    tasks.push(scheduleJob(`ingest-${name}`, expr, run, { ...jobs, log }));
    log.info("ingestion scheduled", { schedule: name, cron: expr, creators: cfg.creators.length });
  }
  return { stop: () => tasks.forEach((t) => t.stop()) };
}
