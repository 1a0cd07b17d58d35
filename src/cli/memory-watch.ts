import { readFileSync } from "node:fs";

export interface MemorySample {
  /** Seconds since the watch began. */
  t: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  /** Resident memory of weaviate-server, 0 when unknown. */
  weaviateRss: number;
}

/**
 * Samples the API server's memory every `intervalS` from its /metrics (the server's own
 * process.memoryUsage), and Weaviate's resident memory from /proc. A failed scrape is skipped, not
 * fatal: the load's error count tells whether the server was down.
 */
export function watchMemory(metricsUrl: string, weaviatePid: number | undefined, intervalS: number) {
  const samples: MemorySample[] = [];
  const started = performance.now();
  const take = async () => {
    try {
      const text = await (await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) })).text();
      const value = (name: string) => Number(new RegExp(`^${name} (\\d+)`, "m").exec(text)?.[1] ?? Number.NaN);
      samples.push({ t: (performance.now() - started) / 1000, rss: value("process_resident_memory_bytes"), heapUsed: value("nodejs_heap_size_used_bytes"), heapTotal: value("nodejs_heap_size_total_bytes"), weaviateRss: processRss(weaviatePid) });
    } catch {
      // the load's errors say whether the server was down
    }
  };
  void take();
  const timer = setInterval(() => void take(), intervalS * 1000);
  return {
    samples,
    async stop(): Promise<MemorySample[]> {
      clearInterval(timer);
      await take();
      return samples;
    },
  };
}

function processRss(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** Shorter windows see GC cycles, not trends. */
const MIN_WINDOW_S = 20;

export interface SeriesTrend {
  firstWindowMb: number;
  lastWindowMb: number;
  growthMb: number;
  /** Least-squares slope over every post-warm-up sample. */
  slopeMbPerMin: number;
  flat: boolean;
}

export interface MemoryVerdict {
  warmupS: number;
  windowS: number;
  samplesAfterWarmup: number;
  rss?: SeriesTrend;
  heapUsed?: SeriesTrend;
  /** "flat", "growing", or why it cannot say. */
  verdict: string;
}

/**
 * Is memory flat after warm-up? Compares the mean of the first and the last `windowS` of the
 * samples after `warmupS`: a series is flat when it grew by at most max(8 MB, 2%) between them
 * (allocator and GC noise; a leak of 5 MB/min shows within a 5-minute run).
 * The slope is reported beside it so a slow leak over a long run is visible even when under that.
 */
export function memoryVerdict(samples: readonly MemorySample[], warmupS: number, windowS: number): MemoryVerdict {
  const after = samples.filter((s) => s.t >= warmupS && Number.isFinite(s.rss));
  const end = after.at(-1)?.t ?? 0;
  const first = after.filter((s) => s.t <= warmupS + windowS);
  const last = after.filter((s) => s.t >= end - windowS);
  const base = { warmupS, windowS, samplesAfterWarmup: after.length };
  if (windowS < MIN_WINDOW_S || first.length < 2 || last.length < 2 || end - warmupS < 2 * windowS) return { ...base, verdict: `too short to judge (needs two windows of at least ${MIN_WINDOW_S} s and 2 samples each after warm-up: run at least ${MIN_WINDOW_S * 5} s)` };
  const trend = (pick: (s: MemorySample) => number): SeriesTrend => {
    const mean = (xs: readonly MemorySample[]) => xs.reduce((n, s) => n + pick(s), 0) / xs.length / 2 ** 20;
    const firstWindowMb = mean(first);
    const lastWindowMb = mean(last);
    const growthMb = lastWindowMb - firstWindowMb;
    return { firstWindowMb, lastWindowMb, growthMb, slopeMbPerMin: slope(after.map((s) => [s.t / 60, pick(s) / 2 ** 20])), flat: growthMb <= Math.max(8, 0.02 * firstWindowMb) };
  };
  const rss = trend((s) => s.rss);
  const heapUsed = trend((s) => s.heapUsed);
  const verdict = rss.flat && heapUsed.flat ? "flat" : `growing (${[!rss.flat && "RSS", !heapUsed.flat && "heap"].filter(Boolean).join(" and ")})`;
  return { ...base, rss, heapUsed, verdict };
}

function slope(points: [number, number][]): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx;
}
