import type { LatencySummary, Sample } from "./load-driver.js";
import { summarise } from "./load-driver.js";

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
