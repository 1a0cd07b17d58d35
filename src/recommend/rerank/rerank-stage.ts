import type { RecommendedItem } from "../../domain/recommended-item.js";
import type { RerankQueue } from "./rerank-queue.js";
import type { RerankScoreCache } from "./rerank-score-cache.js";

/** The cross-encoder stage as the funnel runs it: its queue, settings and score cache. */
export interface RerankDeps {
  queue: RerankQueue;
  settings: RerankSettings;
  /** Scores from earlier requests; absent (RERANK_CACHE_PAIRS=0): every request scores afresh. */
  cache?: RerankScoreCache;
}

export interface RerankSettings {
  /** Wall-clock milliseconds a request may spend in the stage, queueing included. */
  budgetMs: number;
  /** Tokens per pair, the unit of the stage's cost estimate. */
  maxTokens: number;
  /** The cross-encoder's share of the fused order of the head (0: the ranker's order, 1: the cross-encoder's alone). */
  weight: number;
}

export interface RerankedList {
  items: RecommendedItem[];
  /** How many of the head were scored by the cross-encoder (0 when off, unaffordable or without a query). */
  reranked: number;
  /** How many of those scores came from the cache rather than this request's own model runs. */
  cached: number;
}

/**
 * Reorders the head of a ranked list by fusing the ranker's order with the cross-encoder's. The
 * head is every leading item with a score: those the cache knows for this query, then as many of
 * the rest, in rank order, as the budget affords behind the work already queued (all 200 on a
 * GPU, a handful on a busy CPU). The tail keeps its order. Each item keeps its place by the
 * ranker (`blendPosition`) and by the cross-encoder (`rerankPosition`) for `explain`.
 */
export async function rerankHead(
  items: RecommendedItem[],
  queryText: () => Promise<string>,
  documents: (videoIds: string[]) => Promise<Map<string, string>>,
  queue: RerankQueue,
  settings: RerankSettings,
  cache?: RerankScoreCache,
): Promise<RerankedList> {
  const started = performance.now();
  const none = { items, reranked: 0, cached: 0 };
  const affordable = Math.min(items.length, queue.affordable(settings.budgetMs, settings.maxTokens));
  // Nothing affordable and nothing kept: skip the query-text read, which would score nothing.
  if (affordable === 0 && (!cache || cache.size === 0)) return none;
  const text = await queryText();
  if (text.trim() === "") return none;
  const ids = items.map((i) => i.videoId);
  const scores = cache?.get(text, ids) ?? new Array<number | undefined>(items.length).fill(undefined);
  const todo = scores.flatMap((s, k) => (s === undefined ? [k] : [])).slice(0, affordable);
  if (todo.length > 0) {
    const docs = await documents(todo.map((k) => ids[k]!));
    const { encoder } = queue;
    const query = encoder.tokens(text);
    const pairs = todo.map((k) => encoder.pair(query, encoder.tokens(docs.get(ids[k]!) ?? "")));
    const fresh = await queue.score(pairs, settings.budgetMs - (performance.now() - started));
    fresh.forEach((s, j) => (scores[todo[j]!] = s));
    cache?.set(
      text,
      todo.slice(0, fresh.length).map((k) => ids[k]!),
      fresh,
    );
  }
  const scored = scores.findIndex((s) => s === undefined);
  const head = scored < 0 ? items.length : scored;
  if (head === 0) return none;
  const reordered = [
    ...fuseHead(items.slice(0, head), scores.slice(0, head) as number[], settings.weight),
    ...items.slice(head),
  ];
  return {
    items: reordered.map((item, i) => ({ ...item, rankedPosition: i + 1 })),
    reranked: head,
    cached: head - todo.filter((k) => k < head).length,
  };
}

/**
 * Rank fusion over a scored head (in the ranker's order): each item's place is
 * (1 - weight) x its place by the ranker + weight x its place by cross-encoder score, ties kept in
 * the ranker's order. Places, not scores, so neither model's scale matters. The evaluation calls
 * this too, so what it measures is what the stage serves.
 */
export function fuseHead(
  head: RecommendedItem[],
  scores: ArrayLike<number>,
  weight: number,
): RecommendedItem[] {
  const byScore = head.map((_, k) => k).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const cePlace = new Array<number>(head.length);
  byScore.forEach((k, place) => (cePlace[k] = place + 1));
  const key = (k: number) => (1 - weight) * (k + 1) + weight * cePlace[k]!;
  return head
    .map((item, k) => ({
      k,
      item: {
        ...item,
        rerankScore: scores[k]!,
        rerankPosition: cePlace[k]!,
        blendPosition: item.blendPosition ?? k + 1,
      },
    }))
    .sort((a, b) => key(a.k) - key(b.k) || a.k - b.k)
    .map(({ item }) => item);
}
