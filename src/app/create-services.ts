import { refreshCohorts } from "../recommend/query/cohort-refresh.js";
import type { Encoder } from "../embed/encoder.js";
import type { Services } from "../api/services.js";
import { recordComment, recordOnboarding } from "../ingest/first-party.js";
import type { RecommendDeps } from "../recommend/recommend-deps.js";
import {
  recommendForUser,
  type RecommendationOutcome,
  type RecommendationRequest,
} from "../recommend/recommendations.js";
import { createResultCache } from "../recommend/result-cache.js";
import { similarCreators, similarVideos } from "../recommend/similar.js";
import type { Metrics } from "../platform/metrics.js";
import { describeServiceMetrics } from "./service-metrics.js";
import { createIngestRunsService } from "./ingest-runs-service.js";
import { createStatusService } from "./status-service.js";
import type { RerankStatus } from "../recommend/rerank/rerank-setup.js";
import { listCohorts } from "../store/cohorts.js";
import { deleteCuration, listCuration, putCuration } from "../store/curation.js";
import { creatorsByIds, videosByIds } from "../store/entity-reads.js";
import { vectorByTikTokId } from "../store/interest-lookup.js";
import type { Logger } from "../platform/logger.js";
import { FEATURES } from "../recommend/rank/ranking-features.js";
import type { RankerStatus } from "../recommend/rank/ranker-setup.js";
import type { TriggerOutcome } from "../ingest/schedules/ingest-trigger.js";
import type { EventStore } from "../events/event-store.js";
import type { UserFeedback } from "../domain/app-events.js";
import { recordClicks } from "../store/click-engagement.js";
import { createEventRecorder } from "./events-service.js";
import type { ExperimentsService } from "./experiments-service.js";
import { listRequest, servePage } from "./serve-page.js";
import type { ModelServing } from "../recommend/registry/model-serving.js";
import type { SwitchableKind } from "../recommend/registry/model-manifest.js";
import { modelsService } from "./models-service.js";
import type { EncoderGenerations } from "./encoder-generations-service.js";
import { generationsService } from "./generations-services.js";

export interface ServiceOptions {
  cacheSeconds?: number;
  rerankStatus: RerankStatus;
  rankerStatus?: RankerStatus;
  metrics: Metrics;
  log: Logger;
  /** Starts an ingestion run now (app.ts wires the runner); absent where no runner exists. */
  triggerIngestion?: (by: string) => Promise<TriggerOutcome>;
  /** The event store; absent: pages carry no servedId, events are refused, no click feedback. */
  events?: EventStore;
  experiments?: ExperimentsService;
  /** Most events per recordEvents call (EVENTS_BATCH_MAX). */
  eventsBatchMax?: number;
  /** Impressions without a click after which a video is pushed down (FEEDBACK_IGNORED_AFTER). */
  ignoredAfter?: number;
  /** The clock pages are served by (the experiment simulation moves it day by day). */
  now?: () => Date;
  /**
   * The registry's serving ranker and cross-encoder (switchable at run time); each request takes
   * them once at its start. Absent: `given.ranker` and `given.rerank` serve for good (tests, CLIs).
   */
  models?: ModelServing;
  /**
   * Encoder generations (encoder-generations-service.ts): each request is pinned to the generation
   * serving when it starts. Absent: the given handle, generation 1.
   */
  generations?: EncoderGenerations;
  /** Ranker training from the live store (ranker-training.ts); absent: not wired in this process. */
  rankerTraining?: Pick<Services, "trainRanker" | "rankerTrainingRuns">;
}

/** A list with the registry ids of the models it was ranked with. */
type ListOutcome = RecommendationOutcome & {
  models?: Record<SwitchableKind, string | null>;
  encoderGeneration?: number;
};

const NO_FEEDBACK: UserFeedback = { clicked: [], ignored: new Map() };

/** A user's feedback from the event store; a failing store costs the feedback, not the request. */
async function feedbackOf(
  store: EventStore,
  userId: string,
  ignoredAfter: number,
  opts: Pick<ServiceOptions, "log" | "metrics">,
): Promise<UserFeedback> {
  try {
    return await store.userFeedback(userId, { ignoredAfter });
  } catch (err) {
    opts.metrics.count("feedback_read_errors_total", {});
    opts.log.warn("serving without the user's click feedback: the event store did not answer", {
      error: String(err),
    });
    return NO_FEEDBACK;
  }
}

/** What the API can do, bound to this process's Weaviate, encoder and cross-encoder queue. */
export function createServices(given: RecommendDeps, encoder: Encoder, opts: ServiceOptions): Services {
  const { weaviate } = given;
  const { events, experiments, log, metrics } = opts;
  const now = opts.now ?? (() => new Date());
  describeServiceMetrics(metrics); // idempotent; services may run without app.ts (tests, CLIs)
  const deps: RecommendDeps = events
    ? { ...given, feedback: (userId) => feedbackOf(events, userId, opts.ignoredAfter ?? 3, opts) }
    : given;
  const cache = createResultCache<RecommendationRequest, ListOutcome>((opts.cacheSeconds ?? 0) * 1000);
  /** Runs `use` on the models serving now, held until it settles (an activation meanwhile waits for it to dispose the old ones). */
  const withModels = async <T>(
    use: (run: RecommendDeps, ids?: ListOutcome["models"], generation?: number) => Promise<T>,
  ) => {
    const lease = opts.models?.acquire();
    // One generation per request: its user's vectors and its recall read the same classes.
    const pinned = opts.generations?.pin();
    const store = pinned ? { ...deps, weaviate: pinned.weaviate } : deps;
    try {
      return await use(
        lease ? { ...store, ranker: lease.ranker, rerank: lease.rerank } : store,
        lease?.ids,
        pinned?.generation,
      );
    } finally {
      lease?.release();
    }
  };
  const recommendList = cache.wrap((req) =>
    withModels(async (run, ids, generation): Promise<ListOutcome> => {
      const outcome = await recommendForUser(run, req);
      if (outcome.kind !== "list") return outcome;
      metrics.count("recommendations_served_total", { source: outcome.source }, 1);
      opts.metrics.observe("recommend_candidates", { stage: "recall" }, outcome.recalled);
      if (run.rerank) opts.metrics.observe("recommend_candidates", { stage: "rerank" }, outcome.reranked);
      return { ...outcome, models: ids, encoderGeneration: generation };
    }),
  );
  opts.generations?.onSwitch(() => cache.clear()); // a cached page stays on the generation it came from
  return {
    featureNames: FEATURES.map((f) => f.name),
    status: createStatusService(
      weaviate,
      encoder,
      opts.rerankStatus,
      opts.rankerStatus ?? { kind: deps.ranker ? "learned" : "fixed blend", modelId: deps.ranker?.modelId },
      events,
      experiments,
    ),
    ingestRuns: createIngestRunsService(weaviate),
    recommend: async (req) => {
      const arm = experiments?.assign(req.userId);
      const outcome = await recommendList(listRequest(req, arm));
      const page = await servePage({ store: events, log, metrics, now }, req, arm, outcome);
      return page.kind === "page" && outcome.kind === "list"
        ? { ...page, models: outcome.models, encoderGeneration: outcome.encoderGeneration }
        : page;
    },
    recordEvents: createEventRecorder(events, {
      batchMax: opts.eventsBatchMax ?? 500,
      recordClicks: (clicks) => recordClicks(weaviate, clicks),
      onClicks: (users) => cache.forget((req) => users.has(req.userId)),
      log,
      metrics,
    }),
    experiments: async () => (experiments ? experiments.list() : []),
    createExperiment: async (input, by) => {
      if (!experiments) return { kind: "refused", reasons: ["experiments are not wired in this process"] };
      const change = await experiments.create(input, by);
      cache.clear(); // pages cached before the test must not be served as one of its arms
      return change;
    },
    stopExperiment: async (id, by) => {
      if (!experiments) return { kind: "unknown", id };
      const change = await experiments.stop(id, by);
      cache.clear();
      return change;
    },
    experimentReport: async (id) => experiments?.report(id),
    curation: () => listCuration(weaviate),
    curate: async (entry) => {
      await putCuration(weaviate, entry);
      cache.clear(); // a new blocklist or slot applies to the next request, not in five minutes
    },
    uncurate: async (kind, value) => {
      const removed = await deleteCuration(weaviate, kind, value);
      cache.clear();
      return removed;
    },
    recordComment: async (comment) => {
      if (!(await vectorByTikTokId(weaviate, "Video", comment.videoId)))
        return { kind: "unknownVideo", videoId: comment.videoId };
      const recorded = await recordComment(weaviate, encoder, comment);
      cache.forget((req) => req.userId === comment.userId);
      return { kind: "recorded", ...recorded };
    },
    onboard: async (answers) => {
      const profile = await recordOnboarding(weaviate, encoder, answers);
      cache.forget((req) => req.userId === answers.userId);
      return profile;
    },
    cohorts: () => listCohorts(weaviate),
    triggerIngestion:
      opts.triggerIngestion ??
      (async () => ({ started: false, message: "ingestion is not wired in this process" })),
    refreshCohorts: async () => {
      const result = await refreshCohorts(weaviate, deps.coldStart.minMembers, opts.log);
      cache.clear(); // cold users' pages follow the new cohort vectors
      return result;
    },
    similarVideos: (videoId, first) =>
      withModels(async (run, _ids, generation) => ({
        ...(await similarVideos(run, videoId, first)),
        encoderGeneration: generation,
      })),
    similarCreators: (creatorId, first) => withModels((run) => similarCreators(run, creatorId, first)),
    ...modelsService(opts.models, {
      registry: opts.models?.registry ?? "",
      modelsDir: opts.models?.modelsDir ?? "",
      encoderModelId: encoder.modelId,
      running: () => experiments?.running(),
      onChange: () => cache.clear(),
      log,
    }),
    ...generationsService(opts.generations, { onChange: () => cache.clear(), log }),
    trainRanker:
      opts.rankerTraining?.trainRanker ??
      (async () => ({
        started: false,
        message: "ranker training is not wired in this process",
        runId: null,
      })),
    rankerTrainingRuns: opts.rankerTraining?.rankerTrainingRuns ?? (async () => []),
    videosByIds: (ids) => videosByIds(weaviate, ids),
    creatorsByIds: (ids) => creatorsByIds(weaviate, ids),
  };
}
