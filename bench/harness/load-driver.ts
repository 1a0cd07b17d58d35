/** Load generation over HTTP for the benches: one request shape, open and closed loops, percentiles. */

export interface Sample {
  /** When the request was sent, ms since the loop began. */
  at: number;
  ms: number;
  ok: boolean;
  /** Why it failed, for the error table; absent when ok. */
  error?: string;
  reranked: number;
  /** What kind of answer it was (operation, source), for the mix table. */
  tag?: string;
  /** The HTTP status and the first error's extensions.code; absent when no answer came. */
  status?: number;
  code?: string;
}

/** Refused by the server's admission control rather than failed: shed (503 OVERLOADED) or limited (429). */
export function admission(s: Pick<Sample, "status" | "code">): "shed" | "limited" | "admitted" {
  if (s.status === 503 && s.code === "OVERLOADED") return "shed";
  if (s.status === 429) return "limited";
  return "admitted";
}

/** Sends request number i and measures it; never throws (a failure is a sample with ok false). */
export type Send = (i: number) => Promise<Omit<Sample, "at">>;

// GraphQL answers are untyped JSON here: each bench's `read` knows its own operation's shape.
/* eslint-disable @typescript-eslint/no-explicit-any */
/** What a benchmark makes of an answer's data: what is wrong with it (absent when right), and what to count. */
export type ReadAnswer = (data: Record<string, any>) => { error?: string; reranked?: number; tag?: string };

/** POSTs a GraphQL operation and times it; HTTP errors, GraphQL errors, timeouts and whatever `read` rejects fail the sample. */
export async function postGraphQL(
  url: string,
  body: { query: string; operationName?: string; variables: Record<string, unknown> },
  read: ReadAnswer,
  opts: { headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Omit<Sample, "at">> {
  const started = performance.now();
  let status: number | undefined;
  let code: string | undefined;
  const done = (ok: boolean, error?: string, reranked = 0, tag?: string) => ({
    ms: performance.now() - started,
    ok,
    error,
    reranked,
    tag,
    ...(status === undefined ? {} : { status }),
    ...(code === undefined ? {} : { code }),
  });
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...opts.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
    });
    const json = (await res.json()) as {
      data?: Record<string, any>;
      errors?: { message?: string; extensions?: { code?: string } }[];
    };
    status = res.status;
    code = json.errors?.[0]?.extensions?.code;
    if (admission({ status, code }) !== "admitted") return done(false, `HTTP ${status} ${code ?? ""}`.trim());
    if (!res.ok || json.errors?.length)
      return done(
        false,
        `HTTP ${res.status} ${json.errors?.[0]?.extensions?.code ?? ""} ${json.errors?.[0]?.message ?? ""}`
          .replace(/\s+/g, " ")
          .trim()
          .slice(0, 160),
      );
    const answer = read(json.data ?? {});
    return done(!answer.error, answer.error, answer.reranked ?? 0, answer.tag);
  } catch (err) {
    return done(
      false,
      (err as Error).name === "TimeoutError" ? "timeout" : `fetch: ${(err as Error).message}`,
    );
  }
}

/**
 * Open loop: request i goes out at i/rate s whatever the answers do, so queueing shows in the
 * latency (a closed loop would slow down with the server and hide it). `onSample` sees each
 * answer as it lands.
 */
export async function openLoop(
  send: Send,
  rate: number,
  seconds: number,
  onSample?: (s: Sample) => void,
): Promise<Sample[]> {
  const pending: Promise<Sample>[] = [];
  const start = performance.now();
  for (let i = 0; i < Math.round(rate * seconds); i++) {
    const due = (i * 1000) / rate;
    const wait = start + due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      send(i).then((s) => {
        const sample = { ...s, at: due };
        onSample?.(sample);
        return sample;
      }),
    );
  }
  return Promise.all(pending);
}

/** Closed loop: `concurrency` clients, each sending its next request when the last answers. */
export async function closedLoop(
  send: Send,
  concurrency: number,
  seconds: number,
): Promise<{ samples: Sample[]; perSecond: number }> {
  const samples: Sample[] = [];
  const started = performance.now();
  const end = started + seconds * 1000;
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const at = performance.now() - started;
        samples.push({ ...(await send(i++)), at });
      }
    }),
  );
  return { samples, perSecond: samples.length / ((performance.now() - started) / 1000) };
}

/** The p-th percentile (nearest rank) of xs; NaN for none. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export interface LatencySummary {
  requests: number;
  failed: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  meanReranked: number;
  /** Failure reasons and how often each happened (shed and limited ones included). */
  errors: Record<string, number>;
  /** Requests the server ran (neither shed nor limited), and their latency. */
  admitted: number;
  admittedP50: number;
  admittedP95: number;
  admittedP99: number;
  /** Failures among the admitted: real errors, not admission refusals. */
  admittedFailed: number;
  /** Answered 503 OVERLOADED (shed by the server's concurrency limit), and how fast. */
  shed: number;
  shedP95: number;
  /** Answered 429 (over the key's budget). */
  limited: number;
}

/**
 * Percentiles over every request, failed ones included: a slow error is still a slow answer; and
 * apart, over the requests the server admitted (what its admission control promises to keep fast).
 */
export function summarise(samples: readonly Sample[]): LatencySummary {
  const ms = samples.map((s) => s.ms);
  const errors: Record<string, number> = {};
  for (const s of samples) if (!s.ok) errors[s.error ?? "failed"] = (errors[s.error ?? "failed"] ?? 0) + 1;
  const admitted = samples.filter((s) => admission(s) === "admitted");
  const admittedMs = admitted.map((s) => s.ms);
  const shed = samples.filter((s) => admission(s) === "shed");
  return {
    requests: samples.length,
    failed: samples.filter((s) => !s.ok).length,
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    p99: percentile(ms, 99),
    max: ms.length ? ms.reduce((m, x) => Math.max(m, x), 0) : Number.NaN,
    meanReranked: samples.length ? samples.reduce((n, s) => n + s.reranked, 0) / samples.length : 0,
    errors,
    admitted: admitted.length,
    admittedP50: percentile(admittedMs, 50),
    admittedP95: percentile(admittedMs, 95),
    admittedP99: percentile(admittedMs, 99),
    admittedFailed: admitted.filter((s) => !s.ok).length,
    shed: shed.length,
    shedP95: percentile(
      shed.map((s) => s.ms),
      95,
    ),
    limited: samples.filter((s) => admission(s) === "limited").length,
  };
}
