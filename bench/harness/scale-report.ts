import { fitLinear, project, type LinearFit } from "./scale-projection.js";
import type { StageTimes } from "./scale-latency.js";

/** One measured point of bench:scale: a compression config at a catalogue size. */
export interface ScaleRow {
  config: string;
  size: number;
  rssBytes: number;
  rssDeltaBytes: number;
  heapInUseDeltaBytes: number;
  diskBytes: number;
  diskDeltaBytes: number;
  importPerSecond: number;
  recallAt200: number;
  times: StageTimes;
  loadAverage1m: number;
  writer: string;
}

export const PROJECT_TO = 5_000_000;
const GIB = 2 ** 30;

const byConfig = (rows: ScaleRow[]) => {
  const out = new Map<string, ScaleRow[]>();
  for (const r of rows)
    out.set(
      r.config,
      [...(out.get(r.config) ?? []), r].sort((a, b) => a.size - b.size),
    );
  return out;
};

/** Memory (RSS) and disk fits of one config, when it has two sizes or more. */
export function configFits(
  rows: ScaleRow[],
): { memory: LinearFit; heap: LinearFit; disk: LinearFit } | undefined {
  if (new Set(rows.map((r) => r.size)).size < 2) return undefined;
  return {
    memory: fitLinear(rows.map((r) => ({ size: r.size, bytes: r.rssBytes }))),
    // The Go heap is Weaviate's own figure: RSS also counts the LSM segments it maps from disk.
    heap: fitLinear(rows.map((r) => ({ size: r.size, bytes: r.heapInUseDeltaBytes }))),
    disk: fitLinear(rows.map((r) => ({ size: r.size, bytes: r.diskBytes }))),
  };
}

/** The flat figures saveFigures keeps: each config at its largest measured size, and the 5M projection. */
export function scaleFigures(rows: ScaleRow[]): Record<string, number> {
  const figures: Record<string, number> = { largestSize: Math.max(...rows.map((r) => r.size)) };
  for (const [config, list] of byConfig(rows)) {
    const r = list[list.length - 1]!;
    Object.assign(figures, {
      [`largestSize_${config}`]: r.size,
      [`rssBytesPerVector_${config}`]: Math.round(r.rssDeltaBytes / r.size),
      [`heapBytesPerVector_${config}`]: Math.round(r.heapInUseDeltaBytes / r.size),
      [`diskBytesPerVector_${config}`]: Math.round(r.diskDeltaBytes / r.size),
      [`importPerSecond_${config}`]: Math.round(r.importPerSecond),
      [`recallAt200_${config}`]: Number(r.recallAt200.toFixed(4)),
      [`p50Ms_${config}`]: Number(r.times.ours.p50.toFixed(2)),
      [`p99Ms_${config}`]: Number(r.times.ours.p99.toFixed(2)),
      [`rawP50Ms_${config}`]: Number(r.times.raw.p50.toFixed(2)),
      [`rawP99Ms_${config}`]: Number(r.times.raw.p99.toFixed(2)),
    });
    const fits = configFits(list);
    if (fits) {
      figures[`projected5M_memoryGiB_${config}`] = Number(
        (project(fits.memory, PROJECT_TO) / GIB).toFixed(2),
      );
      figures[`projected5M_heapGiB_${config}`] = Number((project(fits.heap, PROJECT_TO) / GIB).toFixed(2));
      figures[`projected5M_diskGiB_${config}`] = Number((project(fits.disk, PROJECT_TO) / GIB).toFixed(2));
    }
  }
  return figures;
}

const pct = (x: number | undefined) => (x === undefined ? "-" : `${(x * 100).toFixed(1)}%`);
const ms = (x: number) => x.toFixed(1);

export function printScaleReport(
  rows: ScaleRow[],
  meta: { queries: number; timed: number; noise: number; writer: string },
): void {
  console.log(
    `\nbench:scale  ${meta.queries} recall queries, ${meta.timed} timed, noise ${meta.noise}, writer ${meta.writer}`,
  );
  console.log(
    "| config | videos | RSS B/vec | heap B/vec | disk B/vec | import/s | recall@200 | raw p50/p99 ms | ours p50/p99 ms | ratio p50/p99 | raw fr p50/p99 | ours fr p50/p99 | ratio fr p50/p99 | load 1m |",
  );
  console.log(`|${" --- |".repeat(14)}`);
  for (const r of [...rows].sort((a, b) => a.config.localeCompare(b.config) || a.size - b.size)) {
    const t = r.times;
    console.log(
      `| ${r.config} | ${r.size} | ${Math.round(r.rssDeltaBytes / r.size)} | ${Math.round(r.heapInUseDeltaBytes / r.size)} | ${Math.round(r.diskDeltaBytes / r.size)} | ${Math.round(r.importPerSecond)} | ${(r.recallAt200 * 100).toFixed(1)}% | ` +
        `${ms(t.raw.p50)} / ${ms(t.raw.p99)} | ${ms(t.ours.p50)} / ${ms(t.ours.p99)} | ${(t.ours.p50 / t.raw.p50).toFixed(2)} / ${(t.ours.p99 / t.raw.p99).toFixed(2)} | ` +
        `${ms(t.rawFiltered.p50)} / ${ms(t.rawFiltered.p99)} | ${ms(t.oursFiltered.p50)} / ${ms(t.oursFiltered.p99)} | ${(t.oursFiltered.p50 / t.rawFiltered.p50).toFixed(2)} / ${(t.oursFiltered.p99 / t.rawFiltered.p99).toFixed(2)} | ${r.loadAverage1m.toFixed(1)} |`,
    );
  }
  console.log(
    `\nprojection to ${PROJECT_TO / 1e6}M videos: total bytes = fixed + perVector x N (least squares over the measured sizes)`,
  );
  console.log(
    "| config | sizes | RSS: fixed MiB + B/vec | max fit error | hold-out error | 5M RSS GiB | Go heap: fixed MiB + B/vec | max fit error | hold-out error | 5M heap GiB | disk: fixed MiB + B/vec | max fit error | hold-out error | 5M disk GiB |",
  );
  console.log(`|${" --- |".repeat(14)}`);
  for (const [config, list] of byConfig(rows)) {
    const fits = configFits(list);
    if (!fits) continue;
    const col = (f: LinearFit) =>
      `${(f.fixedBytes / 2 ** 20).toFixed(0)} + ${f.bytesPerVector.toFixed(0)} | ${pct(f.maxAbsRelError)} | ${pct(f.holdOutRelError)} | ${(project(f, PROJECT_TO) / GIB).toFixed(2)}`;
    console.log(
      `| ${config} | ${list.map((r) => r.size / 1000 + "k").join(", ")} | ${col(fits.memory)} | ${col(fits.heap)} | ${col(fits.disk)} |`,
    );
  }
}
