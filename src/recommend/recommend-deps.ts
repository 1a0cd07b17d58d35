import type { UserFeedback } from "../domain/app-events.js";
import type { LearnedRanker } from "./rank/learned-ranker.js";
import type { RerankDeps } from "./rerank/rerank-stage.js";
import type { WeaviateHandle } from "../store/weaviate-handle.js";

/** What the recommendation use cases run on, made once in services.ts. */
export interface RecommendDeps {
  weaviate: WeaviateHandle;
  /** Absent when RERANK_MODEL is off or its model is missing. */
  rerank?: RerankDeps;
  coldStart: { minComments: number; minMembers: number };
  /** The learned ranker; absent: the fixed blend ranks. */
  ranker?: LearnedRanker;
  /**
   * Compute every feature, the vector ones included, whatever the ranker reads (training and the
   * evaluation). Serving leaves it unset: vectors are fetched only for a ranker that reads them.
   */
  allFeatures?: boolean;
  /**
   * What the user's app events say (clicked videos, videos shown and ignored); absent where no event
   * store is wired. A failure here must not fail the request: the caller degrades to no feedback.
   */
  feedback?: (userId: string) => Promise<UserFeedback>;
  /** Told how long each stage of recommendations(user) took (recommend_stage_duration_seconds). */
  observeStage?: (stage: "recall" | "rank" | "rerank" | "rules", seconds: number) => void;
}
