import type { RecommendedItem } from "../recommend/ranked-items.js";
import type { RerankQueue } from "./rerank-queue.js";

export interface RerankSettings {
  /** Wall-clock milliseconds a request may spend in the stage, queueing included. */
  budgetMs: number;
  /** Tokens per pair, the unit of the stage's cost estimate. */
  maxTokens: number;
}

export interface RerankedList {
  items: RecommendedItem[];
  /** How many of the head were scored by the cross-encoder (0 when off, unaffordable or without a query). */
  reranked: number;
}

/**
 * Reorders the head of a ranked list by cross-encoder score. The head is as long as the budget
 * affords behind the work already queued: all 200 on a GPU, a handful on a busy CPU. The tail
 * keeps its order. Each item keeps its place by the blend (`blendPosition`) for `explain`.
 */
export async function rerankHead(
  items: RecommendedItem[],
  queryText: () => Promise<string>,
  documents: (videoIds: string[]) => Promise<Map<string, string>>,
  queue: RerankQueue,
  settings: RerankSettings,
): Promise<RerankedList> {
  const started = performance.now();
  const affordable = Math.min(items.length, queue.affordable(settings.budgetMs, settings.maxTokens));
  if (affordable === 0) return { items, reranked: 0 };
  const head = items.slice(0, affordable);
  const [text, docs] = await Promise.all([queryText(), documents(head.map((i) => i.videoId))]);
  if (text.trim() === "") return { items, reranked: 0 };
  const { encoder } = queue;
  const query = encoder.tokens(text);
  const pairs = head.map((i) => encoder.pair(query, encoder.tokens(docs.get(i.videoId) ?? "")));
  const scores = await queue.score(pairs, settings.budgetMs - (performance.now() - started));
  const scored = head.slice(0, scores.length).map((item, k) => ({ ...item, rerankScore: scores[k]! }));
  scored.sort((a, b) => b.rerankScore - a.rerankScore || a.rankedPosition - b.rankedPosition);
  const reordered = [...scored, ...items.slice(scores.length)].map((item, i) => ({ ...item, blendPosition: item.blendPosition ?? item.rankedPosition, rankedPosition: i + 1 }));
  return { items: reordered, reranked: scores.length };
}
