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
  /** Told how long each stage of recommendations(user) took (recommend_stage_duration_seconds). */
  observeStage?: (stage: "recall" | "rank" | "rerank" | "rules", seconds: number) => void;
}
