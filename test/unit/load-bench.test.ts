import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import {
  openLoop,
  percentile,
  postGraphQL,
  summarise,
  type Sample,
} from "../../bench/harness/load-driver.js";
import { memoryVerdict, type MemorySample } from "../../bench/harness/memory-watch.js";
import { searchMaxRate } from "../../bench/harness/rate-search.js";

const MB = 2 ** 20;
const sample = (ms: number, ok = true): Sample => ({
  at: 0,
  ms,
  ok,
  reranked: ok ? 4 : 0,
  error: ok ? undefined : "HTTP 500",
});

describe("bench:load's statistics", () => {
  it("percentiles are nearest-rank, and failed requests count in the latency and the error table", () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose
    assert.equal(percentile(xs, 50), 50);
    assert.equal(percentile(xs, 95), 95);
    assert.equal(percentile(xs, 99), 99);
    assert.equal(percentile(xs, 100), 100);
    assert.equal(percentile([7], 99), 7);
    assert.ok(Number.isNaN(percentile([], 50)));
    const s = summarise([sample(10), sample(20), sample(900, false), sample(30)]);
    assert.equal(s.requests, 4);
    assert.equal(s.failed, 1);
    assert.equal(s.max, 900);
    assert.equal(s.p99, 900);
    assert.deepEqual(s.errors, { "HTTP 500": 1 });
    assert.equal(s.meanReranked, 3);
  });

  it("memory: a flat noisy series is flat; a 5 MB/min climb is growing, with its slope; two points are too few", () => {
    const series = (mbPerMin: number): MemorySample[] =>
      Array.from({ length: 31 }, (_, i) => {
        const t = i * 10;
        const wobble = (i % 3) - 1; // +-1 MB of GC noise
        return {
          t,
          rss: (300 + wobble + (mbPerMin * t) / 60) * MB,
          heapUsed: (80 + wobble + (mbPerMin * t) / 60) * MB,
          heapTotal: 120 * MB,
          weaviateRss: 0,
        };
      });
    const flat = memoryVerdict(series(0), 60, 60);
    assert.equal(flat.verdict, "flat");
    assert.ok(Math.abs(flat.rss!.slopeMbPerMin) < 0.5, `slope ${flat.rss!.slopeMbPerMin}`);
    const leak = memoryVerdict(series(5), 60, 60);
    assert.equal(leak.verdict, "growing (RSS and heap)");
    assert.ok(Math.abs(leak.rss!.slopeMbPerMin - 5) < 0.5, `slope ${leak.rss!.slopeMbPerMin}`);
    assert.ok(leak.rss!.growthMb > 10, `growth ${leak.rss!.growthMb}`);
    assert.match(memoryVerdict(series(0).slice(0, 8), 60, 60).verdict, /too short/);
    // V8's sawtooth: the heap climbs 100 -> 330 MB and collects every 50 s; a flat floor is flat
    const saw = (leak: number): MemorySample[] =>
      Array.from({ length: 31 }, (_, i) => ({
        t: i * 10,
        rss: 700 * MB,
        heapUsed: (100 + 46 * (i % 5) + (leak * i * 10) / 60) * MB,
        heapTotal: 400 * MB,
        weaviateRss: 0,
      }));
    assert.equal(memoryVerdict(saw(0), 60, 60).verdict, "flat");
    const sawLeak = memoryVerdict(saw(5), 60, 60);
    assert.equal(sawLeak.verdict, "growing (heap)");
    assert.ok(
      Math.abs(sawLeak.heapUsed!.slopeMbPerMin - 5) < 1.5,
      `slope ${sawLeak.heapUsed!.slopeMbPerMin}`,
    );
    assert.match(
      memoryVerdict(series(5), 6, 6).verdict,
      /too short/,
      "6 s windows see GC cycles, not trends",
    );
  });

  it("the rate search steps up until p95 breaks the limit, then narrows the gap to the resolution", async () => {
    const capacity = 63; // this fake server's p95 jumps past 250 ms from 63 req/s on
    const tried: number[] = [];
    const result = await searchMaxRate(
      async (rate) => {
        tried.push(rate);
        return summarise(Array.from({ length: 20 }, () => sample(rate < capacity ? 100 : 400)));
      },
      { step: 25, maxRate: 400, limitMs: 250, resolution: 5 },
    );
    assert.deepEqual(tried.slice(0, 3), [25, 50, 75]);
    assert.ok(
      result.best < capacity && result.firstFail! >= capacity,
      `best ${result.best}, first fail ${result.firstFail}`,
    );
    assert.ok(result.firstFail! - result.best <= 5);
    assert.deepEqual(
      result.steps.map((s) => s.pass),
      tried.map((r) => r < capacity),
    );
    const errors = await searchMaxRate(async () => summarise([sample(5), sample(5, false)]), {
      step: 25,
      maxRate: 100,
      limitMs: 250,
      resolution: 5,
    });
    assert.equal(errors.best, 0, "a step with errors fails even when fast");
  });
});

describe("bench:load's open loop, against a real HTTP server", () => {
  it("keeps sending on schedule while answers are slow, so queueing shows in the latency", async () => {
    const arrivals: number[] = [];
    const server = createServer((req, res) => {
      const n = arrivals.push(performance.now());
      req.resume();
      setTimeout(
        () =>
          res
            .writeHead(200, { "content-type": "application/json" })
            .end(JSON.stringify({ data: { ok: n % 10 !== 0 } })),
        200,
      );
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    try {
      const started = performance.now();
      const samples = await openLoop(
        (i) =>
          postGraphQL(url, { query: "{ ok }", variables: { i } }, (data) =>
            data.ok ? {} : { error: "not ok" },
          ),
        50,
        1,
      );
      assert.equal(samples.length, 50);
      assert.equal(arrivals.length, 50);
      // 50 answers of 200 ms each, sent one after another, would take 10 s; on schedule the last goes out at ~0.98 s
      assert.ok(
        arrivals.at(-1)! - started < 1_600,
        `the 50th request arrived after ${(arrivals.at(-1)! - started).toFixed(0)} ms`,
      );
      assert.deepEqual(
        samples.map((s) => s.at),
        Array.from({ length: 50 }, (_, i) => i * 20),
      );
      assert.ok(
        samples.every((s) => s.ms >= 190),
        "every answer took the server's 200 ms",
      );
      assert.equal(summarise(samples).failed, 5, "every tenth answer says not ok");
    } finally {
      server.close();
    }
  });

  it("a timeout or a refused connection is a failed sample with its reason, not a crash", async () => {
    const hung = createServer(() => {}); // never answers
    await new Promise<void>((r) => hung.listen(0, "127.0.0.1", r));
    try {
      const slow = await postGraphQL(
        `http://127.0.0.1:${(hung.address() as AddressInfo).port}/graphql`,
        { query: "{ ok }", variables: {} },
        () => ({}),
        { timeoutMs: 300 },
      );
      assert.equal(slow.ok, false);
      assert.equal(slow.error, "timeout");
    } finally {
      hung.closeAllConnections();
      hung.close();
    }
    const refused = await postGraphQL(
      "http://127.0.0.1:1/graphql",
      { query: "{ ok }", variables: {} },
      () => ({}),
    );
    assert.equal(refused.ok, false);
    assert.match(refused.error!, /^fetch: /);
  });
});
