import type { FilterValue } from "weaviate-client";
import { recallVideos } from "../../src/recommend/recall/recall-videos.js";
import type { VideoFilters } from "../../src/store/video-search.js";
import type { WeaviateHandle } from "../../src/store/weaviate-handle.js";
import { recallAtK } from "./scale-exact.js";

export interface Latency {
  p50: number;
  p99: number;
}

export interface StageTimes {
  raw: Latency;
  ours: Latency;
  rawFiltered: Latency;
  oursFiltered: Latency;
}

export const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const K = 200;

/** Recall@200 of raw nearVector (Weaviate's index as configured) against the exact top 200. */
export async function indexRecall(
  handle: WeaviateHandle,
  queries: Float32Array[],
  exact: Set<number>[],
): Promise<number> {
  const videos = handle.client.collections.get("Video");
  const found: number[][] = [];
  for (const q of queries) {
    const res = await videos.query.nearVector(Array.from(q), { limit: K, returnProperties: ["videoId"] });
    found.push(res.objects.map((o) => Number(String(o.properties.videoId).slice("scale-".length))));
  }
  return recallAtK(exact, found);
}

/**
 * p50/p99 of raw weaviate-client nearVector (ids and distances, the filter built once) and of our
 * recall stage, with and without the selective filter, query by query in turn so load on the
 * shared machine falls on all four alike.
 */
export async function stageTimes(
  handle: WeaviateHandle,
  queries: Float32Array[],
  selective: { filters: VideoFilters; raw: FilterValue },
  warmup = 20,
): Promise<StageTimes> {
  const videos = handle.client.collections.get("Video");
  const raw = (q: number[], filters?: FilterValue) =>
    videos.query.nearVector(q, {
      limit: K,
      returnMetadata: ["distance"],
      returnProperties: [] as never,
      filters,
    });
  const runs: [keyof StageTimes, (q: number[]) => Promise<unknown>][] = [
    ["raw", (q) => raw(q)],
    ["ours", (q) => recallVideos(handle, q, {}, K)],
    ["rawFiltered", (q) => raw(q, selective.raw)],
    ["oursFiltered", (q) => recallVideos(handle, q, selective.filters, K)],
  ];
  const ms: Record<keyof StageTimes, number[]> = { raw: [], ours: [], rawFiltered: [], oursFiltered: [] };
  for (const [i, q] of queries.entries()) {
    const vector = Array.from(q);
    for (const [name, run] of runs) {
      const t = performance.now();
      await run(vector);
      if (i >= warmup) ms[name].push(performance.now() - t);
    }
  }
  const lat = (xs: number[]): Latency => ({ p50: percentile(xs, 50), p99: percentile(xs, 99) });
  return {
    raw: lat(ms.raw),
    ours: lat(ms.ours),
    rawFiltered: lat(ms.rawFiltered),
    oursFiltered: lat(ms.oursFiltered),
  };
}
