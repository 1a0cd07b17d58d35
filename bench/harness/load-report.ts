import type { LatencySummary, Sample } from "./load-driver.js";
import { summarise } from "./load-driver.js";
import type { MemorySample, memoryVerdict } from "./memory-watch.js";
import type { RateSearch } from "./rate-search.js";

const say = (line: string) => process.stderr.write(`${line}\n`);

/** The header of latencyRow's table. */
export const LATENCY_HEADER =
  "| requests | admitted | shed (503) | limited (429) | errors | p50 ms | p95 ms | p99 ms | max ms | admitted p95 ms | shed p95 ms | mean reranked |";

/** One row: all requests' percentiles (failures included), then the admitted ones' p95 and the shed ones'. */
export function latencyRow(s: LatencySummary): string {
  const ms = (x: number) => (Number.isNaN(x) ? "-" : x.toFixed(1));
  return `| ${s.requests} | ${s.admitted} | ${s.shed} | ${s.limited} | ${s.admittedFailed} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${Number.isNaN(s.max) ? "-" : s.max.toFixed(0)} | ${ms(s.admittedP95)} | ${ms(s.shedP95)} | ${s.meanReranked.toFixed(1)} |`;
}

/** `|---|` for a header's columns. */
export const rule = (header: string) => `|${"---|".repeat(header.split("|").length - 2)}`;

export function groupBy<T>(xs: readonly T[], key: (x: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(x);
  }
  return [...groups].sort((a, b) => b[1].length - a[1].length);
}

/** A line on stderr every `intervalS`: answers so far, errors, shed, and the p95 of the last interval. */
export function liveReport(sampleS: number) {
  const intervalS = Math.max(sampleS, 5);
  const started = performance.now();
  let recent: Sample[] = [];
  let answered = 0;
  let failed = 0;
  let shed = 0;
  const timer = setInterval(() => {
    const w = summarise(recent);
    say(
      `load: ${((performance.now() - started) / 1000).toFixed(0)} s, ${answered} answered, ${failed} errors, ${shed} shed or limited, last ${intervalS} s p95 ${w.requests ? w.p95.toFixed(0) : "-"} ms (admitted ${w.admitted ? w.admittedP95.toFixed(0) : "-"} ms)`,
    );
    recent = [];
  }, intervalS * 1000);
  return {
    add: (s: Sample) => {
      answered++;
      const refused = s.status === 503 || s.status === 429;
      if (refused) shed++;
      else if (!s.ok) failed++;
      recent.push(s);
    },
    stop: () => clearInterval(timer),
  };
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

/** The server's memory over time beside the load of each interval, and the verdict after warm-up. */
export function printMemory(
  memorySamples: readonly MemorySample[],
  samples: readonly Sample[],
  verdict: ReturnType<typeof memoryVerdict>,
  warmupS: number,
  /** The replica watched, when several are driven. */
  watched?: string,
): void {
  console.log(
    `\nmemory of the API server${watched ? ` (${watched})` : ""} (and weaviate-server) over time; the first ${warmupS.toFixed(0)} s are warm-up`,
  );
  console.log(
    "| t s | sent | errors | shed | p95 ms | server RSS MB | heap used MB | heap total MB | weaviate RSS MB |\n|---|---|---|---|---|---|---|---|---|",
  );
  for (const [i, m] of memorySamples.entries()) {
    const window = samples.filter(
      (s) => s.at / 1000 <= m.t && s.at / 1000 > (i === 0 ? -1 : memorySamples[i - 1]!.t),
    );
    const w = summarise(window);
    console.log(
      `| ${m.t.toFixed(0)} | ${w.requests} | ${w.admittedFailed} | ${w.shed + w.limited} | ${w.requests ? w.p95.toFixed(0) : "-"} | ${mb(m.rss)} | ${mb(m.heapUsed)} | ${mb(m.heapTotal)} | ${m.weaviateRss ? mb(m.weaviateRss) : "-"} |`,
    );
  }
  const trend = (name: string, t: typeof verdict.rss) =>
    t &&
    `${name} ${t.firstWindowMb.toFixed(0)} -> ${t.lastWindowMb.toFixed(0)} MB (${t.growthMb >= 0 ? "+" : ""}${t.growthMb.toFixed(1)} MB), slope ${t.slopeMbPerMin.toFixed(2)} MB/min`;
  console.log(
    `memory after warm-up: ${verdict.verdict}${verdict.rss ? `; lowest value in the first vs the last ${verdict.windowS.toFixed(0)} s window: ${trend("RSS", verdict.rss)}; ${trend("heap used", verdict.heapUsed)}` : ""}`,
  );
}

/** The rate search's steps and its verdict. */
export function printSearch(search: RateSearch, stepSeconds: number, limitMs: number): void {
  console.log(
    `\nrate search: ${stepSeconds} s per step, pass = p95 < ${limitMs} ms and no errors (shed or limited requests fail a step too)`,
  );
  const header = `| rate req/s ${LATENCY_HEADER} pass |`;
  console.log(`${header}\n${rule(header)}`);
  for (const s of search.steps)
    console.log(`| ${s.rate} ${latencyRow(s.summary)} ${s.pass ? "yes" : "no"} |`);
  console.log(
    search.best > 0
      ? `highest rate with p95 < ${limitMs} ms: ${search.best} req/s${search.firstFail ? ` (${search.firstFail} req/s failed)` : " (the highest step tried)"}`
      : `no rate passed: even ${search.firstFail} req/s had p95 >= ${limitMs} ms or errors`,
  );
}
