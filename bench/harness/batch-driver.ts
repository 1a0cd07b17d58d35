import { percentile } from "./load-driver.js";

/** One call that carried a batch of events. */
export interface BatchSample {
  ms: number;
  ok: boolean;
  /** Events the call stored (accepted). */
  accepted: number;
  /** Events sent in the call. */
  sent: number;
  error?: string;
}

export interface BatchRun {
  seconds: number;
  calls: number;
  failed: number;
  accepted: number;
  /** Accepted events per second of wall time. */
  eventsPerSecond: number;
  p50: number;
  p95: number;
  errors: Record<string, number>;
}

/**
 * Closed loop: `clients` writers, each sending its next batch when the last one answered, for
 * `seconds`. The rate is what the server sustains, with queueing inside each writer left out.
 */
export async function driveBatches(
  send: (i: number) => Promise<BatchSample>,
  clients: number,
  seconds: number,
): Promise<BatchRun> {
  const samples: BatchSample[] = [];
  const started = performance.now();
  const end = started + seconds * 1000;
  let i = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) samples.push(await send(i++));
    }),
  );
  return summariseBatches(samples, (performance.now() - started) / 1000);
}

export function summariseBatches(samples: readonly BatchSample[], seconds: number): BatchRun {
  const errors: Record<string, number> = {};
  for (const s of samples) if (!s.ok) errors[s.error ?? "failed"] = (errors[s.error ?? "failed"] ?? 0) + 1;
  const accepted = samples.reduce((n, s) => n + s.accepted, 0);
  const ms = samples.map((s) => s.ms);
  return {
    seconds,
    calls: samples.length,
    failed: samples.filter((s) => !s.ok).length,
    accepted,
    eventsPerSecond: accepted / seconds,
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    errors,
  };
}

/** The run whose rate is the median of the runs (the upper middle for an even count). */
export function medianRun(runs: BatchRun[]): BatchRun {
  const sorted = [...runs].sort((a, b) => a.eventsPerSecond - b.eventsPerSecond);
  return sorted[Math.floor(sorted.length / 2)]!;
}
