/**
 * The Services contract: everything the API may ask of the service, and the shapes it gets back.
 * It is the API layer's only door to the funnel, the store and the models (the dependency check
 * says so); it names their result types and imports no code. app/ implements it.
 */
import type { AppEvent, EventOutcome } from "../domain/app-events.js";
import type { Experiment } from "../domain/experiment.js";
import type { RecommendedItem } from "../domain/recommended-item.js";
import type { ExperimentInput } from "../experiments/definitions.js";
import type { ExperimentReport } from "../experiments/experiment-report.js";
import type { FirstPartyComment } from "../ingest/first-party.js";
import type { TriggerOutcome } from "../ingest/schedules/ingest-trigger.js";
import type { CohortRefresh } from "../recommend/query/cohort-refresh.js";
import type { RankerStatus } from "../recommend/rank/ranker-setup.js";
import type { RecommendationOutcome, RecommendationRequest } from "../recommend/recommendations.js";
import type { RerankStatus } from "../recommend/rerank/rerank-setup.js";
import type { ModelChange } from "../recommend/registry/model-serving.js";
import type { ModelKind, SwitchableKind } from "../recommend/registry/model-manifest.js";
import type { SimilarCreatorsOutcome, SimilarVideosOutcome } from "../recommend/similar.js";
import type { Cohort } from "../store/cohorts.js";
import type { GenerationChange, GenerationsStatus } from "../store/generations/generation-record.js";
import type { CurationEntry, CurationKind } from "../store/curation.js";
import type { CreatorRecord, VideoRecord } from "../store/entity-reads.js";
import type { StoreStatus } from "../store/store-status.js";
import type { UserProfile } from "../store/user-profiles.js";

export type { AppEvent, CurationEntry, EventOutcome, Experiment, ExperimentInput, ExperimentReport };
export type { ModelChange, ModelKind, SwitchableKind };
export type { GenerationChange, GenerationsStatus };

export interface EntityReads {
  videosByIds(ids: readonly string[]): Promise<Map<string, VideoRecord>>;
  creatorsByIds(ids: readonly string[]): Promise<Map<string, CreatorRecord>>;
}

/** The singletons resolvers call, wired in app/start-app.ts. */
export interface Services extends EntityReads {
  /** The names of the ranking features, in the order items carry their values (`explain`). */
  featureNames: readonly string[];
  status(): Promise<ServiceStatus>;
  ingestRuns(limit: number): Promise<IngestRunView[]>;
  /** One page of a user's recommendations, remembered (servedId) so the app's events can name it. */
  recommend(req: PageRequest): Promise<RecommendationsServed>;
  /** A batch of app events from the caller `source` (its API key name); outcomes in input order. */
  recordEvents(source: string, events: ParsedEvent[]): Promise<EventOutcome[]>;
  experiments(): Promise<Experiment[]>;
  createExperiment(input: ExperimentInput, by: string): Promise<ExperimentChange>;
  stopExperiment(id: string, by: string): Promise<ExperimentChange>;
  /** The per-arm report of an experiment and its HTML page; undefined for an unknown id. */
  experimentReport(id: string): Promise<{ report: ExperimentReport; html: string } | undefined>;
  curation(): Promise<CurationEntry[]>;
  curate(entry: CurationEntry): Promise<void>;
  uncurate(kind: CurationKind, value: string): Promise<boolean>;
  recordComment(
    comment: FirstPartyComment,
  ): Promise<
    | { kind: "recorded"; commentId: string; commentCount: number; duplicate: boolean }
    | { kind: "unknownVideo"; videoId: string }
  >;
  onboard(answers: Omit<UserProfile, "onboardedAt">): Promise<UserProfile>;
  cohorts(): Promise<Omit<Cohort, "vector">[]>;
  triggerIngestion(by: string): Promise<TriggerOutcome>;
  refreshCohorts(): Promise<CohortRefresh>;
  /** encoderGeneration: the one generation the video's vector and the recall came from. */
  similarVideos(
    videoId: string,
    first: number,
  ): Promise<SimilarVideosOutcome & { encoderGeneration?: number }>;
  similarCreators(creatorId: string, first: number): Promise<SimilarCreatorsOutcome>;
  /** Every registered encoder, ranker and cross-encoder, newest first within a kind, and which serve. */
  models(): Promise<ModelView[]>;
  /** Serves the registered model from the next request on, or says why not (the serving one stays). */
  activateModel(kind: SwitchableKind, id: string, by: string): Promise<ModelChange>;
  /** Serves what served before the last activation of this kind (or none), the same way. */
  rollbackModel(kind: SwitchableKind, by: string): Promise<ModelChange>;
  /** Encoder generations: which serves, which builds (progress per class), which are retired until when. */
  encoderGenerations(): Promise<GenerationsStatus>;
  /** Starts re-embedding the store with this EMBED_MODEL value into a new generation, or says why not. */
  rebuildEncoderGeneration(model: string, by: string): Promise<GenerationChange>;
  /** Switches back to the generation that served before the last switch, while its grace period keeps it. */
  rollbackEncoderGeneration(by: string): Promise<GenerationChange>;
  /** Starts a ranker training run from the live store now (the worker), or says why not. */
  trainRanker(by: string): Promise<{ started: boolean; message: string; runId: string | null }>;
  /** The recorded ranker training runs, newest first. */
  rankerTrainingRuns(first: number): Promise<RankerTrainingRun[]>;
}

/** One ranker training run from the live store, as recorded (docs/ranking-and-training.md). */
export interface RankerTrainingRun {
  id: string;
  trigger: "schedule" | "admin";
  by: string;
  startedAt: string;
  finishedAt: string | null;
  /** running; promoted, refused (by the gate or the registry), skipped (not enough users), failed. */
  decision: "running" | "promoted" | "refused" | "skipped" | "failed";
  reason: string;
  /** The registry id of the ranker serving when the run began; null: the fixed blend. */
  servingBefore: string | null;
  /** The candidate's registry id, when it was promoted. */
  candidate: string | null;
  margin: number;
  users: { eligible: number; train: number; heldOut: number };
  rows: { train: number; heldOut: number };
  /** Per negative kind, the mean per-user AUC on the held-out users of both models. */
  figures: {
    kind: string;
    users: number;
    candidate: number;
    serving: number;
    differenceStdError: number;
    passed: boolean;
  }[];
  seconds: Record<string, number>;
}

/** A registry entry as the admin query lists it. */
export interface ModelView {
  kind: ModelKind;
  id: string;
  created: string;
  trainedOn: string;
  evaluation: Record<string, number>;
  files: { name: string; sha256: string; bytes: number }[];
  serving: boolean;
  /** experiment/arm names of the running experiment that serve this model. */
  arms: string[];
}

/** A recommendations request for one page: `offset` items of the full list come before it. */
export interface PageRequest extends Omit<RecommendationRequest, "overrides"> {
  offset: number;
}

/** A served page, or why there is none. */
export type RecommendationsServed =
  | Exclude<RecommendationOutcome, { kind: "list" }>
  | (Omit<Extract<RecommendationOutcome, { kind: "list" }>, "kind" | "items"> & {
      kind: "page";
      items: RecommendedItem[];
      hasNextPage: boolean;
      /** Names this page in the app's events; absent when the event store is off or failed. */
      servedId?: string;
      /** The experiment and arm that served it, when one is running. */
      experiment?: { id: string; arm: string };
      /** The registry ids of the ranker and cross-encoder in place when the request began (null: none). */
      models?: Record<SwitchableKind, string | null>;
      /** The encoder generation every read of this request went to (its user vectors and its recall). */
      encoderGeneration?: number;
    });

/** An event as the API parsed it: well-formed, or refused with the reason. */
export type ParsedEvent = AppEvent | { kind: "malformed"; clientEventId: string; reason: string };

export type ExperimentChange =
  | { kind: "done"; experiment: Experiment }
  | { kind: "refused"; reasons: string[] }
  | { kind: "unknown"; id: string };

export interface ServiceStatus {
  version: string;
  weaviate: StoreStatus;
  encoder: {
    modelId: string;
    dimensions: number;
    executionProvider: string;
    executionProviderReason?: string;
  };
  reranker: Omit<RerankStatus, "msPerToken"> & { msPerToken?: number };
  ranker: RankerStatus;
  events: { mode: "embedded" | "external" | "off"; ok: boolean; detail?: string };
  experiment?: { id: string; arms: string[] };
}

/** A recorded run, flattened for the API. */
export interface IngestRunView {
  runId: string;
  source: string;
  trigger: string;
  status: string;
  startedAt: Date;
  finishedAt?: Date;
  creators: number;
  videos: number;
  comments: number;
  embedded: number;
  errorCount: number;
  errors: string[];
}

export interface Check {
  ok: boolean;
  detail?: string;
}

/** ready: all there; degraded: serving without an optional model (200); not ready: cannot serve (503). */
export interface Readiness {
  status: "ready" | "degraded" | "not ready";
  checks: Record<string, Check>;
}
