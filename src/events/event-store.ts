import pg from "pg";
import type { AppEvent, EventOutcome, ServedPage, UserFeedback } from "../domain/app-events.js";
import type { Experiment } from "../domain/experiment.js";
import type { ExperimentAggregates } from "../domain/experiment-aggregates.js";
import type { Logger } from "../platform/logger.js";
import type { JobCoordinator } from "../platform/scheduled-job.js";
import type { JobRun } from "./job-runs.js";
import { describeUnavailable, redactUrl } from "./event-store-error.js";
import { PgEventStore } from "./pg-event-store.js";
import { migrate } from "./schema/migrations.js";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./server/embedded-postgres.js";

export interface EventStoreOptions {
  /** postgres://... of an external server; unset: the embedded server in dataDir. */
  url?: string;
  dataDir: string;
  /** Events and served pages older than this are deleted by applyRetention. */
  retentionDays: number;
  log: Logger;
}

/**
 * What the apps tell us about served pages, the rollups experiments are judged by, the
 * experiments themselves, and the per-user feedback ranking reads. Every bit of state is in
 * PostgreSQL, so any number of API replicas can share one database.
 */
export interface EventStore {
  readonly mode: "embedded" | "external";
  /** On the serving path: one insert (and, in an experiment, its arm-day page count). */
  recordServedPage(page: ServedPage): Promise<void>;
  /** One batch, one transaction; outcomes in input order, answered after commit. */
  appendEvents(source: string, events: AppEvent[]): Promise<EventOutcome[]>;
  aggregates(experimentId: string): Promise<ExperimentAggregates>;
  userFeedback(userId: string, opts: { ignoredAfter: number }): Promise<UserFeedback>;
  /**
   * "exists": an experiment with this id is stored already (left unchanged); "another-running":
   * a running experiment is stored already (one at a time, across every replica).
   */
  saveExperiment(e: Experiment): Promise<"created" | "exists" | "another-running">;
  /** Newest first (by startedAt). */
  experiments(): Promise<Experiment[]>;
  stopExperiment(id: string, at: Date): Promise<Experiment | undefined>;
  applyRetention(now?: Date): Promise<{ events: number; pages: number }>;
  /** Claims firings of scheduled jobs for `worker`, so each runs once across every worker. */
  jobCoordinator(worker: string): JobCoordinator;
  /** The claimed firings, newest first. */
  jobRuns(opts: { job?: string; limit: number }): Promise<JobRun[]>;
  /** Readiness: throws an EventStoreUnavailableError that says what is wrong. */
  ping(): Promise<void>;
  /** Ends the pool, then stops the embedded server. */
  close(): Promise<void>;
}

/**
 * Opens the store: starts the embedded server when no URL is given (recovering one left behind
 * by a killed process), connects a pool and applies the schema migrations.
 */
export async function openEventStore(opts: EventStoreOptions): Promise<EventStore> {
  const server: EmbeddedPostgres | undefined = opts.url
    ? undefined
    : await startEmbeddedPostgres({ dataDir: opts.dataDir, log: opts.log });
  const url = opts.url ?? server!.url;
  const where = opts.url ? redactUrl(opts.url) : `the embedded server (${opts.dataDir})`;
  const log = opts.log.child({ component: "event-store" });
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client whose connection drops (server restart, network) emits on the pool; without a
  // listener that is an uncaught error that ends the process. The next query reconnects.
  pool.on("error", (err) => log.warn("event store connection dropped", { error: err.message, where }));
  try {
    const client = await pool.connect();
    try {
      await migrate(client);
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => {});
    await server?.stop();
    throw describeUnavailable("opening the store", where, err);
  }
  log.info("event store open", { where });
  const mode = server ? "embedded" : "external";
  return new PgEventStore(pool, { mode, where, log, server, retentionDays: opts.retentionDays });
}
