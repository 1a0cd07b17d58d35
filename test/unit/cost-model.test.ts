import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BenchFigures } from "../../bench/harness/bench-figures.js";
import { estimate, inputsFrom, type Inputs, type Scenario } from "../../bench/harness/cost-model.js";

// Round numbers so every expectation below is a sum done by hand, written out beside it.
const scenario: Scenario = {
  users: 864_000,
  requestsPerUser: 10, // 8,640,000 requests a day = 100 req/s mean
  videos: 4_320_000,
  refreshFraction: 0.5, // 2,160,000 docs a day = 25 docs/s
  docsPerVideo: 1,
  peakFactor: 3, // 300 req/s at peak
  headroom: 0.5, // provision 1.5x
  replication: 2,
  rerankPairs: 50,
  prices: { coreHour: 0.05, ramGiBHour: 0.01, diskGiBMonth: 0.1, gpuHour: 2 },
};
const measured: Inputs = {
  cpuSecondsPerRequest: 0.02,
  loadRate: 60,
  loadCores: 2,
  rssBytesPerVector: 1024,
  diskBytesPerVector: 4096,
  largestSize: 1_000_000,
  docsPerSecondPerCore: 10,
  rerankMsPerPairPerCore: 0.1,
};
const close = (actual: number | undefined, expected: number) =>
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) < 1e-9 * Math.max(1, Math.abs(expected)),
    `${actual} != ${expected}`,
  );

describe("the cost model", () => {
  it("sizes serving for the peak with headroom, encoding over the day, and prices a 730-hour month", () => {
    const e = estimate(scenario, measured);
    close(e.meanRps, 100);
    close(estimate(scenario, { ...measured, weaviateCpuSecondsPerRequest: 0.01 }).servingCoresByCpu, 13.5); // 300 x 0.03 s x 1.5
    close(e.peakRps, 300);
    close(e.servingCoresByCpu, 9); // 300 req/s x 0.02 s = 6 cores, x 1.5
    close(e.servingCoresByRate, 15); // 300 / 60 req/s x 2 cores = 10, x 1.5
    close(e.servingCores, 15); // the larger: capacity at p95 < 250 ms binds here
    assert.equal(e.servingBasis, "rate");
    const busy = estimate(scenario, { ...measured, loadAverage: 6 }); // load 6 on 2 cores
    close(busy.servingCoresByRate, 15);
    close(busy.servingCores, 9); // the rate measured the other work: CPU time alone
    assert.equal(busy.servingBasis, "cpu");
    close(estimate(scenario, { ...measured, loadAverage: 2 }).servingCores, 15); // not busier than its cores
    close(e.rerankCores, 2.25); // 300 x 50 pairs x 0.1 ms = 1.5 core-s/s, x 1.5
    close(e.encodeCores, 3.75); // 25 docs/s / 10 per core = 2.5, x 1.5
    assert.equal(e.cores, 19); // 15 + ceil(3.75) = 15 + 4
    close(e.memoryGiB, 8.23974609375); // 4,320,000 x 2 copies x 1 KiB = 8,847,360,000 B
    close(e.diskGiB, 32.958984375); // 4x the memory's bytes per vector
    close(e.extrapolation, 4.32);
    close(e.dollarsPerMonth?.cpu, 693.5); // 19 x $0.05 x 730 h
    close(e.dollarsPerMonth?.memory, 60.150146484375); // 8.2397... GiB x $0.01 x 730 h
    close(e.dollarsPerMonth?.disk, 3.2958984375); // 32.96 GiB x $0.10
    close(e.dollarsPerMonth?.total, 756.946044921875);
    close(e.recommendationsPerMonth, 262_800_000); // 8,640,000 x 730/24 days
    close(e.dollarsPerThousand, 756.946044921875 / 262_800); // about $0.00288
    assert.equal(e.gpuHoursPerMonth, undefined, "no GPU figure, no GPU line");
    assert.equal(e.memoryBasis, "per-vector");

    // bench:scale's 5M projections win over the per-vector figures, scaled to 4.32M x 2 copies.
    const p = estimate(scenario, { ...measured, projected5MMemoryGiB: 10, projected5MDiskGiB: 40 });
    close(p.memoryGiB, 17.28); // 10 GiB / 5M x 8.64M
    close(p.diskGiB, 69.12);
    assert.equal(p.memoryBasis, "projection");
    assert.equal(p.diskBasis, "projection");
  });

  it("counts GPU hours only from GPU figures, and leaves out the lines whose inputs are missing", () => {
    const e = estimate(scenario, { ...measured, rerankMsPerPairGpu: 0.01, docsPerSecondPerGpu: 1000 });
    close(e.gpuHoursPerMonth?.rerank, 164.25); // 300 x 50 x 0.01 ms = 0.15, x 1.5 x 730 h
    close(e.gpuHoursPerMonth?.encode, 27.375); // 25 / 1000 = 0.025, x 1.5 x 730 h
    close(e.gpuDollarsPerMonth, 383.25); // 191.625 h x $2
    close(e.dollarsPerMonth?.total, 756.946044921875); // the GPU is an alternative, not added

    const partial = estimate(scenario, { cpuSecondsPerRequest: 0.02 });
    close(partial.servingCores, 9);
    assert.equal(partial.cores, undefined);
    assert.equal(partial.memoryGiB, undefined);
    assert.equal(partial.dollarsPerMonth, undefined);
    assert.equal(partial.dollarsPerThousand, undefined);
  });

  it("reads its inputs from the saved bench figures, per compression config, and names what is missing", () => {
    const entry = (bench: string, cores: number, figures: BenchFigures["figures"]): BenchFigures => ({
      bench,
      measuredAt: "2026-12-02T06:00:00.000Z",
      machine: { cores, cpu: "test", loadAverage1m: 0.5 },
      command: `npm run ${bench}`,
      figures,
    });
    const saved = new Map([
      ["bench:load", entry("bench:load", 2, { cpuSecondsPerRequest: 0.02, rate: 85, p95Ms: 180 })],
      [
        "bench:scale",
        entry("bench:scale", 2, {
          rssBytesPerVector_rq8: 900,
          rssBytesPerVector_none: 2500,
          diskBytesPerVector_rq8: "lots", // not a number: not an input
          largestSize: 1_000_000,
        }),
      ],
      ["bench:rerank", entry("bench:rerank", 2, { msPerPair: 1.2, pairsAfforded: 40 })],
    ]);
    const { inputs, used, missing } = inputsFrom(saved, "rq8");
    assert.deepEqual(inputs, {
      cpuSecondsPerRequest: 0.02,
      loadRate: 85,
      loadCores: 2,
      loadAverage: 0.5,
      rssBytesPerVector: 900,
      largestSize: 1_000_000,
      rerankMsPerPairPerCore: 1.2,
      rerankPairsAfforded: 40,
    });
    assert.equal(used.get("loadRate")?.bench, "bench:load");
    assert.deepEqual(missing, ["diskBytesPerVector", "docsPerSecondPerCore"]);
    assert.equal(inputsFrom(saved, "none").inputs.rssBytesPerVector, 2500);
    assert.deepEqual(inputsFrom(new Map(), "rq8").missing.length, 8);
  });
});
