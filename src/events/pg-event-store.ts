import type pg from "pg";
import type { AppEvent, ServedPage } from "../domain/app-events.js";
import type { Experiment } from "../domain/experiment.js";
import type { Logger } from "../platform/logger.js";
import type { JobCoordinator } from "../platform/scheduled-job.js";
import { claimJobRun, finishJobRun, listJobRuns } from "./job-runs.js";
import { appendEvents } from "./append-events.js";
import { describeUnavailable, isUnavailable } from "./event-store-error.js";
import { experimentAggregates } from "./experiment-aggregates.query.js";
import { listExperiments, saveExperiment, stopExperiment } from "./experiments.repo.js";
import { applyRetention, recordServedPage, userFeedback } from "./served-pages.js";
import type { EmbeddedPostgres } from "./server/embedded-postgres.js";

interface StoreContext {
  mode: "embedded" | "external";
  /** The server, as errors name it (no password). */
  where: string;
  retentionDays: number;
  log: Logger;
  server?: EmbeddedPostgres;
}

/**
 * The EventStore on a pg pool (it satisfies the interface structurally: event-store.ts imports
 * this file, so this one does not import that). Each method runs one query module; a server that
 * is down becomes an EventStoreUnavailableError.
 */
export class PgEventStore {
  readonly mode: "embedded" | "external";
  private closing?: Promise<void>;

  constructor(
    private readonly pool: pg.Pool,
    private readonly ctx: StoreContext,
  ) {
    this.mode = ctx.mode;
  }

  recordServedPage(page: ServedPage) {
    return this.guard("recording a served page", () => recordServedPage(this.pool, page));
  }
  appendEvents(source: string, events: AppEvent[]) {
    return this.guard("appending events", () => appendEvents(this.pool, this.ctx.log, source, events));
  }
  aggregates(experimentId: string) {
    return this.guard("reading experiment aggregates", () => experimentAggregates(this.pool, experimentId));
  }
  userFeedback(userId: string, opts: { ignoredAfter: number }) {
    return this.guard("reading user feedback", () => userFeedback(this.pool, userId, opts.ignoredAfter));
  }
  saveExperiment(e: Experiment) {
    return this.guard("saving an experiment", () => saveExperiment(this.pool, e));
  }
  experiments() {
    return this.guard("listing experiments", () => listExperiments(this.pool));
  }
  stopExperiment(id: string, at: Date) {
    return this.guard("stopping an experiment", () => stopExperiment(this.pool, id, at));
  }
  applyRetention(now = new Date()) {
    return this.guard("applying retention", () => applyRetention(this.pool, this.ctx.retentionDays, now));
  }
  jobCoordinator(worker: string): JobCoordinator {
    return {
      shouldRun: (key) => this.guard("claiming a scheduled job", () => claimJobRun(this.pool, key, worker)),
      onComplete: (key) =>
        this.guard("finishing a scheduled job", () => finishJobRun(this.pool, key, worker)),
    };
  }
  jobRuns(opts: { job?: string; limit: number }) {
    return this.guard("listing scheduled job runs", () => listJobRuns(this.pool, opts));
  }
  async ping() {
    await this.guard("a readiness check", () => this.pool.query("SELECT 1"));
  }

  close(): Promise<void> {
    return (this.closing ??= (async () => {
      // Connections the stopping server ends are expected now, not worth a warning.
      this.pool.removeAllListeners("error").on("error", () => {});
      await this.pool
        .end()
        .catch((err: Error) => this.ctx.log.warn("closing the pool", { error: err.message }));
      await this.ctx.server?.stop();
    })());
  }

  /** A down or unreachable server is the caller's to report (readiness, 503); other errors are bugs and pass as they are. */
  private async guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.closing) throw describeUnavailable(what, this.ctx.where, new Error("the event store is closed"));
    try {
      return await fn();
    } catch (err) {
      throw isUnavailable(err) ? describeUnavailable(what, this.ctx.where, err) : err;
    }
  }
}
