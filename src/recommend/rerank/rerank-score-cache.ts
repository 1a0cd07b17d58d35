import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";

/**
 * Cross-encoder scores already computed, by (query text, video). A user's query text changes only
 * when they comment, and their recall list changes little between requests, so each request pays
 * only for the candidates it has not scored yet: over a user's requests the scored head grows
 * until it covers every candidate. One cache per loaded cross-encoder (its stage), so an
 * activated model never reuses another's scores. Bounded in pairs and in age: a video whose
 * title was edited is rescored within `ttlMs`.
 */
export interface RerankScoreCache {
  /** The known score of each video for this query, undefined where none is. */
  get(queryText: string, videoIds: readonly string[]): (number | undefined)[];
  set(queryText: string, videoIds: readonly string[], scores: ArrayLike<number>): void;
  readonly size: number;
}

export function createRerankScoreCache(maxPairs: number, ttlMs: number): RerankScoreCache {
  const cache = new LRUCache<string, number>({ max: maxPairs, ttl: ttlMs });
  // The query text can be long (five comments); a digest keeps each key small.
  const queryKey = (text: string) => createHash("sha1").update(text).digest("base64url");
  return {
    get(queryText, videoIds) {
      const q = queryKey(queryText);
      return videoIds.map((id) => cache.get(`${q}:${id}`));
    },
    set(queryText, videoIds, scores) {
      const q = queryKey(queryText);
      videoIds.forEach((id, k) => cache.set(`${q}:${id}`, scores[k]!));
    },
    get size() {
      return cache.size;
    },
  };
}
