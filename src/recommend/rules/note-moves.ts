import type { RecommendedItem } from "../../domain/recommended-item.js";

/**
 * Records on each item of the page where `rule` moved it: from its place in `before` (the list the
 * rule was given, when an earlier rule already moved items), else from its ranked place.
 */
export function noteMoves(
  page: RecommendedItem[],
  rule: string,
  before?: RecommendedItem[],
): RecommendedItem[] {
  const from = before && new Map(before.map((item, i) => [item, i + 1]));
  for (const [i, item] of page.entries()) {
    const was = from?.get(item) ?? item.rankedPosition;
    if (was !== i + 1) item.rules.push(`${rule}: moved from ${was} to ${i + 1}`);
  }
  return page;
}
