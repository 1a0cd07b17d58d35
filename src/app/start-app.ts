import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../platform/config/config.js";
import { REPO_ROOT } from "../platform/paths.js";
import { createEncoder, type Encoder } from "../embed/encoder.js";
import { contextFactory } from "../api/graphql/request-context.js";
import { buildGraphQLSchema } from "../api/graphql/schema.js";
import type { Logger } from "../platform/logger.js";
import { startHttpServer, type RunningServer } from "../api/http/http-server.js";
import { createServices } from "./create-services.js";
import { seedDemoCatalogueIfEmpty } from "../ingest/demo/demo-startup.js";
import { createIngestRunner } from "../ingest/ingest-runner.js";
import { scheduleIngestion } from "../ingest/schedules/ingest-schedule.js";
import { createIngestTrigger } from "../ingest/schedules/ingest-trigger.js";
import { createTikLiveClient } from "../ingest/sources/tiklive-client.js";
import { applySchema } from "../store/class-schema.js";
import { markInterruptedRuns } from "../store/ingest-runs.js";
import type { WeaviateHandle } from "../store/weaviate-handle.js";
import { openWeaviate } from "../store/client/weaviate-connection.js";
import { countedClient } from "../store/client/counted-client.js";
import { scheduleCohortRefresh } from "../recommend/query/cohort-schedule.js";
import { startModelServing, type ModelServing } from "../recommend/registry/model-serving.js";
import { modelLayout } from "../embed/model-files.js";
import { createMetrics, type Metrics } from "../platform/metrics.js";
import { describeProcessMetrics } from "../platform/process-metrics.js";
import { readinessCheck } from "./readiness.js";
import { openEventStore, type EventStore } from "../events/event-store.js";
import { startExperiments, type ExperimentsService } from "./experiments-service.js";
import { scheduleEventRetention } from "./event-retention.js";
import { jobScheduling } from "./job-scheduling.js";
import { rankerTraining, type RankerTraining } from "./ranker-training.js";
import { trainingRunLog } from "./training-runs.js";
import { refreshCohorts } from "../recommend/query/cohort-refresh.js";
import {
  openEncoderGenerations,
  servingClassNames,
  type EncoderGenerations,
} from "./encoder-generations-service.js";
import { describeServiceMetrics, operationLabeller, operationNames } from "./service-metrics.js";

/** How long a stop waits for in-flight requests before cutting their connections. */
const DRAIN_GRACE_MS = 10_000;

export interface App {
  server: RunningServer;
  weaviate: WeaviateHandle;
  encoder: Encoder;
  metrics: Metrics;
  /** Ranker training from the live store; absent on an API replica (ROLE=api). */
  rankerTraining?: RankerTraining;
  /** Drains HTTP, then releases the models and Weaviate (stopping the embedded server). */
  stop(): Promise<void>;
}

/** The explicit wiring of the whole service: every singleton is made here and passed down. */
export async function startApp(config: Config, log: Logger): Promise<App> {
  const metrics = createMetrics();
  describeServiceMetrics(metrics);
  describeProcessMetrics(metrics);
  const weaviate: WeaviateHandle = await openWeaviate(config.weaviate, log);
  // Wrapped in place, not spread: an external handle's restUrl follows its node pool.
  weaviate.client = countedClient(
    weaviate.client,
    (collection, call) => metrics.count("weaviate_calls_total", { collection, call }),
    (collection, call) => metrics.count("weaviate_errors_total", { collection, call }),
  );
  const { pool } = weaviate;
  if (pool) metrics.gauge("weaviate_failovers_total", {}, () => pool.moves, "counter");
  const runsJobs = config.role !== "api";
  let encoder: Encoder | undefined;
  let models: ModelServing | undefined;
  let events: EventStore | undefined;
  let experiments: ExperimentsService | undefined;
  let generations: EncoderGenerations | undefined;
  try {
    // The classes of the encoder generation that serves (docs/encoder.md#encoder-generations).
    weaviate.classNames = servingClassNames(weaviate.embedded?.dataDir);
    await applySchema(weaviate, log);
    if (weaviate.mode === "embedded") {
      const interrupted = await markInterruptedRuns(weaviate);
      if (interrupted > 0)
        log.warn("ingestion runs cut short by an earlier crash marked interrupted", { interrupted });
    }
    encoder = await createEncoder({ modelsDir: config.models.dir, ...config.models });
    log.info("encoder ready", {
      modelId: encoder.modelId,
      provider: encoder.provider,
      providerReason: encoder.providerReason,
    });
    metrics.gauge(
      "encoder_execution_provider",
      { model: encoder.modelId, provider: encoder.provider },
      () => 1,
    );
    // Another EMBED_MODEL than the store's starts a rebuild; the store's encoder serves meanwhile.
    generations = await openEncoderGenerations({
      weaviate,
      configured: encoder,
      makeEncoder: (variant) => createEncoder({ modelsDir: config.models.dir, ...config.models, variant }),
      refreshCohorts: async (pinned) => void (await refreshCohorts(pinned, config.coldStart.minMembers, log)),
      ...config.encoderGenerations,
      log,
    });
    const writer = generations.encoder;
    const runner = createIngestRunner({
      weaviate,
      encoder: writer,
      log,
      onRunEnd: (outcome) => metrics.count("ingest_runs_total", { outcome }),
    });
    if (runsJobs && config.ingest.demoCatalogue === "auto")
      await seedDemoCatalogueIfEmpty(weaviate, runner, log);
    const makeSource = config.tiklive ? () => createTikLiveClient({ ...config.tiklive!, log }) : undefined;
    events =
      config.events.url === "off"
        ? undefined
        : await openEventStore({ ...config.events, url: config.events.url, log });
    if (!events) log.warn("event store off: pages carry no servedId and app events are refused");
    const jobs = jobScheduling(config, events, metrics, log);
    const schedules =
      makeSource && runsJobs
        ? scheduleIngestion(runner, makeSource, config.ingest, log, jobs)
        : { stop: () => {} };
    experiments = await startExperiments(events, {
      file: config.events.experimentsFile,
      refreshSeconds: config.events.experimentsRefreshSeconds,
      log,
    });
    const retention =
      events && runsJobs
        ? scheduleEventRetention(events, config.events.retentionSchedule, log, jobs)
        : { stop: () => {} };
    // The serving ranker and cross-encoder, from the registry (docs/ranking-and-training.md).
    models = await startModelServing({
      registry: config.modelRegistryDir,
      rankerSetting: config.rankerModel,
      rerank: config.rerank,
      modelsDir: config.models.dir,
      encoderDir: modelLayout(config.models.dir).dir,
      provider: config.models.provider,
      log,
    });
    describeRerankMetrics(metrics, models);
    const observeStage = (stage: string, seconds: number) =>
      metrics.observe("recommend_stage_duration_seconds", { stage }, seconds);
    const deps = { weaviate, coldStart: config.coldStart, observeStage };
    const runLog = trainingRunLog(config.modelRegistryDir);
    const pinGeneration = generations.pin.bind(generations);
    // The worker trains; an API replica lists the runs and points at the worker.
    const training = runsJobs
      ? rankerTraining({
          weaviate,
          pin: pinGeneration,
          encoder: writer,
          models,
          activate: (id, by) => services.activateModel("ranker", id, by),
          runs: runLog,
          settings: config.rankerTraining,
          coldStart: config.coldStart,
          cacheDir: config.weaviate.cacheDir,
          log,
        })
      : undefined;
    const services = createServices(deps, writer, {
      rankerTraining: {
        trainRanker:
          training?.trainRanker ??
          (async () => ({
            started: false,
            message: "this is an API replica (ROLE=api): ranker training runs on the worker",
            runId: null,
          })),
        rankerTrainingRuns: async (first) => runLog.list(first),
      },
      generations,
      cacheSeconds: config.recommendCacheSeconds,
      rerankStatus: models.rerankStatus,
      rankerStatus: models.rankerStatus,
      models,
      metrics,
      log,
      triggerIngestion: runsJobs
        ? createIngestTrigger(runner, makeSource, config.ingest, log)
        : async () => ({
            started: false,
            message:
              "this is an API replica (ROLE=api): ingestion runs on the worker; ask the worker's address",
          }),
      events,
      experiments,
      eventsBatchMax: config.events.batchMax,
      ignoredAfter: config.events.ignoredAfter,
    });
    if (runsJobs) await services.refreshCohorts();
    const cohortJob = runsJobs
      ? scheduleCohortRefresh(services.refreshCohorts, config.coldStart.refreshSchedule, log, jobs)
      : { stop: () => {} };
    const trainingJob = training?.schedule(jobs) ?? { stop: () => {} };
    if (config.apiKeys.length === 0)
      log.warn("no API_KEYS configured: anyone on this address can read, nobody can administer");
    const operationLabel = operationLabeller(operationNames(join(REPO_ROOT, "schema", "operations")));
    const server = await startHttpServer({
      schema: await buildGraphQLSchema(),
      context: contextFactory(services, config.apiKeys),
      ready: readinessCheck({
        weaviate,
        encoder,
        rerank: models.rerankStatus,
        ranker: models.rankerStatus,
        events,
      }),
      observeOperation: (name, seconds, outcome) =>
        metrics.observe(
          "graphql_request_duration_seconds",
          { operation: operationLabel(name), outcome },
          seconds,
        ),
      metrics: () => metrics.render(),
      host: config.http.host,
      port: config.http.port,
      log,
      production: config.env === "production",
      explorerQuery: readFileSync(join(REPO_ROOT, "schema", "operations", "recommendations.graphql"), "utf8"),
      admission: config.admission,
      admissionMetrics: metrics,
    });
    const loaded = encoder;
    const [eventStore, experimentsService, served, gens] = [events, experiments, models, generations];
    return {
      server,
      weaviate,
      encoder: loaded,
      metrics,
      rankerTraining: training,
      stop: async () => {
        schedules.stop();
        trainingJob.stop();
        cohortJob.stop();
        retention.stop();
        experimentsService.close();
        await training?.idle();
        await server.close(DRAIN_GRACE_MS);
        await gens.stop();
        await loaded.dispose();
        await served.close();
        await eventStore?.close();
        await weaviate.close();
      },
    };
  } catch (err) {
    experiments?.close();
    await events?.close();
    await generations?.stop();
    await encoder?.dispose();
    await models?.close();
    await weaviate.close();
    throw err;
  }
}

/** Rerank series at /metrics: which provider runs, pairs scored and dropped, the cost estimate. */
function describeRerankMetrics(metrics: Metrics, models: ModelServing): void {
  const status = models.rerankStatus;
  // One series per cross-encoder that served in this process: 1 for the serving one.
  const describe = () => {
    const model = status.modelId ?? "none";
    metrics.gauge("rerank_enabled", { model, provider: status.executionProvider ?? "none" }, () =>
      status.enabled && status.modelId === model ? 1 : 0,
    );
  };
  describe();
  models.onSwap((kind) => kind === "cross-encoder" && describe());
  // The serving cross-encoder's queue, which an activation replaces: counts restart with it.
  const stat = () => models.rerankQueue()?.stats() ?? { runs: 0, pairs: 0, expiredPairs: 0, msPerToken: 0 };
  metrics.gauge("rerank_runs_total", {}, () => stat().runs, "counter");
  metrics.gauge("rerank_pairs_scored_total", {}, () => stat().pairs, "counter");
  metrics.gauge("rerank_pairs_expired_total", {}, () => stat().expiredPairs, "counter");
  metrics.gauge("rerank_ms_per_token", {}, () => stat().msPerToken);
}
