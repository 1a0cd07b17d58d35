import type { BenchFigures } from "./bench-figures.js";

/**
 * The cost model behind `npm run cost`: machines and dollars for a scenario, from measured figures
 * only. Pure (no files, no clock) so the unit test checks it against sums done by hand; bench/cost.ts
 * reads the figures and prints.
 */

/** Hours in an average month (8,760 / 12), the unit cloud list prices are quoted against. */
export const HOURS_PER_MONTH = 730;
const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
const GIB = 2 ** 30;
/** The catalogue bench:scale projects to; other sizes scale its projection linearly. */
const PROJECTION_SIZE = 5_000_000;

export interface Prices {
  coreHour: number;
  ramGiBHour: number;
  diskGiBMonth: number;
  gpuHour: number;
}

export interface Scenario {
  users: number;
  requestsPerUser: number;
  videos: number;
  /** Share of the catalogue re-embedded each day (1: all of it). */
  refreshFraction: number;
  /** Documents embedded per refreshed video (the guide counts one). */
  docsPerVideo: number;
  /** Peak request rate over the day's mean. */
  peakFactor: number;
  /** Spare capacity over the peak, as a fraction (0.3: provision 1.3x the peak). */
  headroom: number;
  /** Copies of every vector (Weaviate replication factor). */
  replication: number;
  /** Cross-encoder pairs scored per request. */
  rerankPairs: number;
  prices: Prices;
}

/** The measured inputs; any may be missing. */
export interface Inputs {
  /** API CPU seconds per request under bench:load (reranking included, as served). */
  cpuSecondsPerRequest?: number;
  /** weaviate-server CPU seconds per request in the same run, when bench:load could read them. */
  weaviateCpuSecondsPerRequest?: number;
  /** The highest rate bench:load held at p95 < 250 ms, and the cores of the machine it ran on. */
  loadRate?: number;
  loadCores?: number;
  /** The 1-minute load average when bench:load saved: above its cores, the rate measured contention. */
  loadAverage?: number;
  rssBytesPerVector?: number;
  diskBytesPerVector?: number;
  /** The largest catalogue bench:scale measured: past it the per-vector figures are extrapolated. */
  largestSize?: number;
  /**
   * bench:scale's own projections to 5M videos (a formula fitted to its measured sizes, fixed
   * overhead apart): preferred to the per-vector figures, which carry that overhead per vector.
   */
  projected5MMemoryGiB?: number;
  projected5MDiskGiB?: number;
  docsPerSecondPerCore?: number;
  docsPerSecondPerGpu?: number;
  rerankMsPerPairPerCore?: number;
  rerankMsPerPairGpu?: number;
  /** How many pairs the configured rerank budget affords one request (bench:rerank). */
  rerankPairsAfforded?: number;
}

export type InputName = keyof Inputs;

/** Where each input comes from: the bench that saves it and its field there. */
export const INPUT_SOURCES: Record<InputName, { bench: string; field: (config: string) => string }> = {
  cpuSecondsPerRequest: { bench: "bench:load", field: () => "cpuSecondsPerRequest" },
  weaviateCpuSecondsPerRequest: { bench: "bench:load", field: () => "weaviateCpuSecondsPerRequest" },
  loadRate: { bench: "bench:load", field: () => "rate" },
  loadCores: { bench: "bench:load", field: () => "(machine cores)" },
  loadAverage: { bench: "bench:load", field: () => "(machine load average)" },
  rssBytesPerVector: { bench: "bench:scale", field: (c) => `rssBytesPerVector_${c}` },
  diskBytesPerVector: { bench: "bench:scale", field: (c) => `diskBytesPerVector_${c}` },
  largestSize: { bench: "bench:scale", field: () => "largestSize" },
  projected5MMemoryGiB: { bench: "bench:scale", field: (c) => `projected5M_memoryGiB_${c}` },
  projected5MDiskGiB: { bench: "bench:scale", field: (c) => `projected5M_diskGiB_${c}` },
  docsPerSecondPerCore: { bench: "bench:embed", field: () => "docsPerSecondPerCore" },
  docsPerSecondPerGpu: { bench: "bench:embed:cuda", field: () => "docsPerSecondPerGpu" },
  rerankMsPerPairPerCore: { bench: "bench:rerank", field: () => "msPerPair" },
  rerankMsPerPairGpu: { bench: "bench:rerank:cuda", field: () => "msPerPair" },
  rerankPairsAfforded: { bench: "bench:rerank", field: () => "pairsAfforded" },
};

/** Inputs the model cannot do without; the rest add lines (GPU, the scale bench's projection). */
export const REQUIRED: InputName[] = [
  "cpuSecondsPerRequest",
  "loadRate",
  "loadCores",
  "rssBytesPerVector",
  "diskBytesPerVector",
  "largestSize",
  "docsPerSecondPerCore",
  "rerankMsPerPairPerCore",
];

/** Picks the inputs out of the saved bench figures; `used` says which bench gave each. */
export function inputsFrom(
  saved: Map<string, BenchFigures>,
  config: string,
): { inputs: Inputs; used: Map<InputName, BenchFigures>; missing: InputName[] } {
  const inputs: Inputs = {};
  const used = new Map<InputName, BenchFigures>();
  for (const [name, source] of Object.entries(INPUT_SOURCES) as [
    InputName,
    (typeof INPUT_SOURCES)[InputName],
  ][]) {
    const entry = saved.get(source.bench);
    if (!entry) continue;
    const value =
      name === "loadCores"
        ? entry.machine.cores
        : name === "loadAverage"
          ? entry.machine.loadAverage1m
          : entry.figures[source.field(config)];
    if (typeof value === "number" && Number.isFinite(value) && value > 0) {
      inputs[name] = value;
      used.set(name, entry);
    }
  }
  return { inputs, used, missing: REQUIRED.filter((n) => inputs[n] === undefined) };
}

export interface Estimate {
  requestsPerDay: number;
  meanRps: number;
  peakRps: number;
  recommendationsPerMonth: number;
  /**
   * Serving cores from CPU time (the API's, plus Weaviate's when measured), from the rate held
   * under 250 ms (everything on the bench machine), and the one used: the larger of the two, or
   * CPU time alone when bench:load's machine was busier than its cores (other work shared them,
   * so the rate it held says more about that work than about ours).
   */
  servingCoresByCpu?: number;
  servingCoresByRate?: number;
  servingCores?: number;
  servingBasis?: "cpu" | "rate";
  /**
   * What the cross-encoder takes at `rerankPairs` a request: inside the serving figures only as far
   * as bench:load's server reranked (under load it reranks what its budget affords, maybe nothing).
   */
  rerankCores?: number;
  docsPerDay: number;
  encodeCores?: number;
  /** Provisioned cores, whole. */
  cores?: number;
  memoryGiB?: number;
  diskGiB?: number;
  /** "projection": bench:scale's 5M projection scaled to the catalogue; "per-vector": its largest size's. */
  memoryBasis?: "projection" | "per-vector";
  diskBasis?: "projection" | "per-vector";
  /** How many times past the largest measured catalogue the memory and disk figures reach. */
  extrapolation?: number;
  /** GPU hours a month if reranking and encoding moved to a GPU; undefined when not measured. */
  gpuHoursPerMonth?: { rerank?: number; encode?: number };
  dollarsPerMonth?: { cpu: number; memory: number; disk: number; total: number };
  gpuDollarsPerMonth?: number;
  dollarsPerThousand?: number;
}

const provision = (load: number, s: Scenario) => load * (1 + s.headroom);

/** The machines and money the scenario needs; a line stays undefined when its inputs are missing. */
export function estimate(s: Scenario, m: Inputs): Estimate {
  const requestsPerDay = s.users * s.requestsPerUser;
  const meanRps = requestsPerDay / 86_400;
  const peakRps = meanRps * s.peakFactor;
  const out: Estimate = {
    requestsPerDay,
    meanRps,
    peakRps,
    recommendationsPerMonth: requestsPerDay * DAYS_PER_MONTH,
    docsPerDay: s.videos * s.refreshFraction * s.docsPerVideo,
  };
  // Requests come in peaks: size serving for the peak, plus headroom.
  if (m.cpuSecondsPerRequest !== undefined)
    out.servingCoresByCpu = provision(
      peakRps * (m.cpuSecondsPerRequest + (m.weaviateCpuSecondsPerRequest ?? 0)),
      s,
    );
  if (m.loadRate !== undefined && m.loadCores !== undefined)
    out.servingCoresByRate = provision((peakRps / m.loadRate) * m.loadCores, s);
  const busy = m.loadAverage !== undefined && m.loadCores !== undefined && m.loadAverage > m.loadCores;
  const byRate = busy && out.servingCoresByCpu !== undefined ? undefined : out.servingCoresByRate;
  if (out.servingCoresByCpu !== undefined || byRate !== undefined) {
    out.servingBasis = (byRate ?? 0) > (out.servingCoresByCpu ?? 0) ? "rate" : "cpu";
    out.servingCores = Math.max(out.servingCoresByCpu ?? 0, byRate ?? 0);
  }
  if (m.rerankMsPerPairPerCore !== undefined)
    out.rerankCores = provision((peakRps * s.rerankPairs * m.rerankMsPerPairPerCore) / 1000, s);
  // Re-embedding is a batch job: it can spread over the whole day, so no peak factor.
  if (m.docsPerSecondPerCore !== undefined)
    out.encodeCores = provision(out.docsPerDay / 86_400 / m.docsPerSecondPerCore, s);
  if (out.servingCores !== undefined && out.encodeCores !== undefined)
    out.cores = Math.ceil(out.servingCores) + Math.ceil(out.encodeCores);
  const copies = s.videos * s.replication;
  const projected = (gib: number) => (gib / PROJECTION_SIZE) * copies;
  if (m.projected5MMemoryGiB !== undefined) {
    out.memoryGiB = projected(m.projected5MMemoryGiB);
    out.memoryBasis = "projection";
  } else if (m.rssBytesPerVector !== undefined) {
    out.memoryGiB = (copies * m.rssBytesPerVector) / GIB;
    out.memoryBasis = "per-vector";
  }
  if (m.projected5MDiskGiB !== undefined) {
    out.diskGiB = projected(m.projected5MDiskGiB);
    out.diskBasis = "projection";
  } else if (m.diskBytesPerVector !== undefined) {
    out.diskGiB = (copies * m.diskBytesPerVector) / GIB;
    out.diskBasis = "per-vector";
  }
  if (m.largestSize !== undefined) out.extrapolation = s.videos / m.largestSize;
  const gpu: { rerank?: number; encode?: number } = {};
  if (m.rerankMsPerPairGpu !== undefined)
    gpu.rerank = provision((peakRps * s.rerankPairs * m.rerankMsPerPairGpu) / 1000, s) * HOURS_PER_MONTH;
  if (m.docsPerSecondPerGpu !== undefined)
    gpu.encode = provision(out.docsPerDay / 86_400 / m.docsPerSecondPerGpu, s) * HOURS_PER_MONTH;
  if (gpu.rerank !== undefined || gpu.encode !== undefined) {
    out.gpuHoursPerMonth = gpu;
    out.gpuDollarsPerMonth = ((gpu.rerank ?? 0) + (gpu.encode ?? 0)) * s.prices.gpuHour;
  }
  if (out.cores !== undefined && out.memoryGiB !== undefined && out.diskGiB !== undefined) {
    const cpu = out.cores * s.prices.coreHour * HOURS_PER_MONTH;
    const memory = out.memoryGiB * s.prices.ramGiBHour * HOURS_PER_MONTH;
    const disk = out.diskGiB * s.prices.diskGiBMonth;
    const total = cpu + memory + disk;
    out.dollarsPerMonth = { cpu, memory, disk, total };
    out.dollarsPerThousand = (total / out.recommendationsPerMonth) * 1000;
  }
  return out;
}

/** The guide's own figures for its scenario (1M users x 10 requests, 5M videos), for comparison. */
export const GUIDE = {
  vectorsOnDiskGB: 7.5,
  hnswMemoryGB: 15,
  dollarsPerMonth: 900,
  /** "well under a hundredth of a cent per recommendation": an upper bound, $ per thousand. */
  dollarsPerThousandBelow: 0.1,
};
