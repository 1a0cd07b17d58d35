import { readFileSync } from "node:fs";

/**
 * CPU seconds an API process has used, from its /metrics (prom-client's process_cpu_seconds_total,
 * user + system), summed over every target: read before and after a phase, the difference over
 * the requests answered is the CPU one request costs, reranking included.
 */
export async function apiCpuSeconds(graphqlUrls: readonly string[]): Promise<number> {
  let total = 0;
  for (const url of graphqlUrls) {
    const text = await (
      await fetch(url.replace(/\/graphql$/, "/metrics"), { signal: AbortSignal.timeout(10_000) })
    ).text();
    const m = /^process_cpu_seconds_total ([\d.e+-]+)$/m.exec(text);
    if (!m) throw new Error(`${url}: /metrics has no process_cpu_seconds_total`);
    total += Number(m[1]);
  }
  return total;
}

/** CPU seconds (user + system) of a local process from /proc (Weaviate's); undefined when unreadable. */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th, in ticks.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}
