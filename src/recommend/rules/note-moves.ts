import type { RecommendedItem } from "../../domain/recommended-item.js";

/** Records on each item of the page where the rules moved it from its ranked place. */
export function noteMoves(page: RecommendedItem[], rule: string): RecommendedItem[] {
  for (const [i, item] of page.entries()) {
    if (item.rankedPosition !== i + 1)
      item.rules.push(`${rule}: moved from ${item.rankedPosition} to ${i + 1}`);
  }
  return page;
}
