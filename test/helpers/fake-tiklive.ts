import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

/** A fault the fake API serves instead of the real answer. */
export type Fault = "429" | "500" | "timeout" | "truncated" | "garbage" | "reset";

export interface FakeTikLive {
  url: string;
  apiKey: string;
  /** Requests received per endpoint, faults included. */
  hits: Record<string, number>;
  close(): Promise<void>;
}

/**
 * Plays the TikLiveAPI from a dump folder over real HTTP, checking X-Api-Key, and serves the
 * planned faults first: `faults(path, n)` names the fault for the n-th request to that path.
 */
export async function startFakeTikLive(
  dumpDir: string,
  faults: (path: string, n: number) => Fault | undefined = () => undefined,
): Promise<FakeTikLive> {
  const apiKey = "test-key";
  const hits: Record<string, number> = {};
  const seen = new Map<string, number>();
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const endpoint = url.pathname.replace(/\/$/, "");
    hits[endpoint] = (hits[endpoint] ?? 0) + 1;
    if (req.headers["x-api-key"] !== apiKey) return json(res, 401, { message: "invalid api key" });
    const key = `${endpoint}${url.search}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    const fault = faults(key, n);
    if (fault === "429") return json(res, 429, { message: "slow down" }, { "retry-after": "0" });
    if (fault === "500") return json(res, 500, { message: "boom" });
    if (fault === "timeout") return; // never answers; the client's timeout must fire
    if (fault === "reset") return req.socket.destroy();
    const file = fileFor(endpoint, url.searchParams);
    if (!file) return json(res, 404, { message: "unknown endpoint" });
    let body: string;
    try {
      body = await readFile(join(dumpDir, file), "utf8");
    } catch {
      return endpoint === "/post-comments"
        ? json(res, 200, { comments: [] })
        : json(res, 404, { message: "not found" });
    }
    if (fault === "truncated") body = body.slice(0, Math.floor(body.length / 2));
    if (fault === "garbage") body = "<html>502 Bad Gateway</html>";
    res.writeHead(200, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiKey,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function fileFor(endpoint: string, params: URLSearchParams): string | undefined {
  if (endpoint === "/userinfo-by-username") return `users/${params.get("username")}.json`;
  if (endpoint === "/user-posts") return `posts/${params.get("userid")}.json`;
  if (endpoint === "/post-comments")
    return `comments/${/\/video\/(\d+)/.exec(params.get("url") ?? "")?.[1]}.json`;
  return undefined;
}

function json(
  res: import("node:http").ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}
