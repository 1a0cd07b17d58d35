import type { Logger } from "../../platform/logger.js";
import { createLimiter } from "./limiter.js";
import { MAX_RESPONSE_BYTES, SourceError, type Endpoint, type TikTokSource } from "./source.js";

export interface TikLiveOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
  /** Retries after the first attempt, on 429, 5xx, timeouts, network errors and unreadable JSON. */
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  concurrency?: number;
  /** Requests (retries included) one run may spend: every call costs credits. */
  requestBudget?: number;
  log: Logger;
}

const paths: Record<Endpoint, string> = {
  userinfo: "/userinfo-by-username/",
  posts: "/user-posts/",
  comments: "/post-comments/",
};

/** The TikLiveAPI over HTTP, with the politeness and resilience a paid API asks for. */
export function createTikLiveClient(opts: TikLiveOptions): TikTokSource & { requestsMade(): number } {
  const limit = createLimiter(opts.concurrency ?? 4);
  const budget = opts.requestBudget ?? 10_000;
  const maxRetries = opts.maxRetries ?? 4;
  let requests = 0;

  async function get(endpoint: Endpoint, params: Record<string, string>): Promise<unknown> {
    // Relative to the base, so a base URL with a path (https://host/api) keeps it.
    const url = new URL(
      paths[endpoint].slice(1),
      opts.baseUrl.endsWith("/") ? opts.baseUrl : `${opts.baseUrl}/`,
    );
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    for (let attempt = 0; ; attempt++) {
      if (requests >= budget) throw new SourceError(endpoint, `request budget of ${budget} spent`, "budget");
      requests++;
      const outcome = await limit(() => attemptOnce(url));
      if (outcome.ok) return outcome.body;
      if (!outcome.retry || attempt >= maxRetries)
        throw new SourceError(endpoint, outcome.reason, outcome.kind);
      const delay = outcome.retryAfterMs ?? backoff(attempt);
      opts.log.warn("tiklive request failed; retrying", {
        endpoint,
        reason: outcome.reason,
        attempt: attempt + 1,
        delayMs: delay,
      });
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  type Outcome =
    | { ok: true; body: unknown }
    | { ok: false; retry: boolean; reason: string; kind: SourceError["kind"]; retryAfterMs?: number };

  async function attemptOnce(url: URL): Promise<Outcome> {
    let res: Response;
    try {
      res = await fetch(url, {
        headers: { "X-Api-Key": opts.apiKey, accept: "application/json" },
        signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
      });
    } catch (err) {
      const e = err as Error;
      return {
        ok: false,
        retry: true,
        kind: "network",
        reason: e.name === "TimeoutError" ? "timed out" : `network error: ${e.message}`,
      };
    }
    let text: string | undefined;
    try {
      text = await cappedText(res, MAX_RESPONSE_BYTES);
    } catch (err) {
      return { ok: false, retry: true, kind: "network", reason: `body cut off: ${(err as Error).message}` };
    }
    // Asking again would cost credits for the same oversized answer.
    if (text === undefined)
      return {
        ok: false,
        retry: false,
        kind: "malformed",
        reason: `response over the ${MAX_RESPONSE_BYTES}-byte limit`,
      };
    if (res.status === 404)
      return { ok: false, retry: false, kind: "not_found", reason: `404 for ${url.pathname}${url.search}` };
    if (res.status === 429 || res.status >= 500) {
      return {
        ok: false,
        retry: true,
        kind: "http",
        reason: `HTTP ${res.status}`,
        retryAfterMs: retryAfter(res.headers.get("retry-after")),
      };
    }
    if (!res.ok)
      return { ok: false, retry: false, kind: "http", reason: `HTTP ${res.status}: ${text.slice(0, 200)}` };
    try {
      return { ok: true, body: JSON.parse(text) };
    } catch {
      // A cut-off body is usually transient; a server that keeps sending garbage runs out of retries.
      return { ok: false, retry: true, kind: "malformed", reason: `unreadable JSON (${text.length} bytes)` };
    }
  }

  /** The body as text, or undefined (and the rest left unread) once it passes `max` bytes. */
  async function cappedText(res: Response, max: number): Promise<string | undefined> {
    if (Number(res.headers.get("content-length") ?? 0) > max) {
      await res.body?.cancel();
      return undefined;
    }
    if (!res.body) return "";
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return Buffer.concat(chunks).toString("utf8");
      size += value.byteLength;
      if (size > max) {
        await reader.cancel();
        return undefined;
      }
      chunks.push(value);
    }
  }

  /** Exponential, capped, with jitter so many clients do not retry in step. */
  function backoff(attempt: number): number {
    const ceiling = Math.min(opts.maxDelayMs ?? 30_000, (opts.baseDelayMs ?? 500) * 2 ** attempt);
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  function retryAfter(header: string | null): number | undefined {
    if (!header) return undefined;
    const seconds = Number(header);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
    return Number.isFinite(ms) ? Math.min(Math.max(0, ms), opts.maxDelayMs ?? 30_000) : undefined;
  }

  return {
    name: `tiklive ${opts.baseUrl}`,
    userInfo: (username) => get("userinfo", { username }),
    userPosts: (userId, count) => get("posts", { userid: userId, count: String(count) }),
    postComments: (video, count) =>
      get("comments", {
        url: `https://www.tiktok.com/@${video.creatorUsername}/video/${video.id}`,
        count: String(count),
      }),
    requestsMade: () => requests,
  };
}
