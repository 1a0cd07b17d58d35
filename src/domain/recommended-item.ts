/** A ranked video as the funnel hands it on: its score, the signals and its explain trail. */

/** The fixed blend's signals for one candidate, each scaled to [0, 1]. */
export interface RankSignals {
  content: number;
  affinity: number;
  popularity: number;
  freshness: number;
  /** Closeness of the post time to the user's last comment: 1 / (1 + days / 30); 0 without one. */
  activity: number;
}

export interface RecommendedItem {
  videoId: string;
  creatorId: string;
  score: number;
  /** Cosine similarity to the query at recall. */
  similarity: number;
  signals: RankSignals;
  /** 1-based place after ranking (and the cross-encoder), before the rules moved it. */
  rankedPosition: number;
  /** 1-based place by the blend, before the cross-encoder; set on reranked lists. */
  blendPosition?: number;
  /** Cross-encoder logit, for items in the reranked head. */
  rerankScore?: number;
  /** 1-based place by cross-encoder score within the reranked head. */
  rerankPosition?: number;
  /** What the business rules did to this item, for `explain`. */
  rules: string[];
  /** Placed by an admin's sponsored slot, not by ranking. */
  sponsored: boolean;
  /** The learned ranker's inputs for this item (in the order of the ranking features); training reads them from here too. */
  features?: number[];
  /** The pair scorer's input row (src/recommend/rank/pair-inputs.ts); kept only for training and the evaluation. */
  pairInputs?: Float32Array;
}
