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
      const value = (name: string) =>
        Number(new RegExp(`^${name} (\\d+)`, "m").exec(text)?.[1] ?? Number.NaN);
      samples.push({
        t: (performance.now() - started) / 1000,
        rss: value("process_resident_memory_bytes"),
        heapUsed: value("nodejs_heap_size_used_bytes"),
        heapTotal: value("nodejs_heap_size_total_bytes"),
        weaviateRss: processRss(weaviatePid),
      });
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
  /** The lowest value in the first and the last window: the floor after garbage collection. */
  firstWindowMb: number;
  lastWindowMb: number;
  growthMb: number;
  /** Growth of the floor per minute between the windows' centres. */
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
 * Is memory flat after warm-up? Compares the lowest value in the first and in the last `windowS`
 * of the samples after `warmupS`: V8's heap is a sawtooth (it climbs by hundreds of MB between
 * major collections), so means or a regression line depend on where the cycle stands, while a leak
 * raises the floor. A series is flat when its floor grew by at most max(8 MB, 2%).
 */
export function memoryVerdict(
  samples: readonly MemorySample[],
  warmupS: number,
  windowS: number,
): MemoryVerdict {
  const after = samples.filter((s) => s.t >= warmupS && Number.isFinite(s.rss));
  const end = after.at(-1)?.t ?? 0;
  const first = after.filter((s) => s.t <= warmupS + windowS);
  const last = after.filter((s) => s.t >= end - windowS);
  const base = { warmupS, windowS, samplesAfterWarmup: after.length };
  if (windowS < MIN_WINDOW_S || first.length < 2 || last.length < 2 || end - warmupS < 2 * windowS)
    return {
      ...base,
      verdict: `too short to judge (needs two windows of at least ${MIN_WINDOW_S} s and 2 samples each after warm-up: run at least ${MIN_WINDOW_S * 5} s)`,
    };
  const minutesApart = (end - windowS / 2 - (warmupS + windowS / 2)) / 60;
  const trend = (pick: (s: MemorySample) => number): SeriesTrend => {
    const floor = (xs: readonly MemorySample[]) => Math.min(...xs.map(pick)) / 2 ** 20;
    const firstWindowMb = floor(first);
    const lastWindowMb = floor(last);
    const growthMb = lastWindowMb - firstWindowMb;
    return {
      firstWindowMb,
      lastWindowMb,
      growthMb,
      slopeMbPerMin: growthMb / minutesApart,
      flat: growthMb <= Math.max(8, 0.02 * firstWindowMb),
    };
  };
  const rss = trend((s) => s.rss);
  const heapUsed = trend((s) => s.heapUsed);
  const verdict =
    rss.flat && heapUsed.flat
      ? "flat"
      : `growing (${[!rss.flat && "RSS", !heapUsed.flat && "heap"].filter(Boolean).join(" and ")})`;
  return { ...base, rss, heapUsed, verdict };
}
