import type { RecommendedItem } from "../../src/domain/recommended-item.js";

/** A ranked item with neutral signals, for tests of the stages and rules that move items. */
export const rankedItem = (
  videoId: string,
  rankedPosition: number,
  extra: Partial<RecommendedItem> = {},
): RecommendedItem => ({
  videoId,
  creatorId: "c",
  score: 0,
  similarity: 0,
  signals: { content: 0, affinity: 0, popularity: 0, freshness: 0, activity: 0 },
  rankedPosition,
  rules: [],
  sponsored: false,
  ...extra,
});
