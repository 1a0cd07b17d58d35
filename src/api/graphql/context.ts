import type { CohortRefresh } from "../../recommend/query/cohort-refresh.js";
import type { FirstPartyComment } from "../../ingest/first-party.js";
import type { TriggerOutcome } from "../../ingest/schedules/ingest-trigger.js";
import type { RecommendationOutcome, RecommendationRequest } from "../../recommend/recommendations.js";
import type { Cohort } from "../../store/cohorts.js";
import type { UserProfile } from "../../store/user-profiles.js";
import type { SimilarCreatorsOutcome, SimilarVideosOutcome } from "../../recommend/similar.js";
import type { IngestRunView } from "../../app/ingest-runs-service.js";
import type { ServiceStatus } from "../../app/status-service.js";
import type { Caller } from "../../platform/config/api-keys.js";
import type { CurationEntry, CurationKind } from "../../store/curation.js";
import type { EntityReads, Loaders } from "./loaders.js";

/** The singletons resolvers call, wired in app.ts. */
export interface Services extends EntityReads {
  status(): Promise<ServiceStatus>;
  ingestRuns(limit: number): Promise<IngestRunView[]>;
  recommend(req: RecommendationRequest): Promise<RecommendationOutcome>;
  curation(): Promise<CurationEntry[]>;
  curate(entry: CurationEntry): Promise<void>;
  uncurate(kind: CurationKind, value: string): Promise<boolean>;
  recordComment(comment: FirstPartyComment): Promise<{ kind: "recorded"; commentId: string; commentCount: number } | { kind: "unknownVideo"; videoId: string }>;
  onboard(answers: Omit<UserProfile, "onboardedAt">): Promise<UserProfile>;
  cohorts(): Promise<Omit<Cohort, "vector">[]>;
  triggerIngestion(by: string): Promise<TriggerOutcome>;
  refreshCohorts(): Promise<CohortRefresh>;
  similarVideos(videoId: string, first: number): Promise<SimilarVideosOutcome>;
  similarCreators(creatorId: string, first: number): Promise<SimilarCreatorsOutcome>;
}

/** Built per request: who is calling, the services, and this request's DataLoaders. */
export interface GraphQLContext {
  caller: Caller;
  services: Services;
  loaders: Loaders;
}
