import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { SourceError } from "../../src/ingest/sources/source.js";
import { createTikLiveClient } from "../../src/ingest/sources/tiklive-client.js";
import { silentLogger } from "../../src/platform/logger.js";

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  return { url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const options = (baseUrl: string) => ({
  baseUrl,
  apiKey: "k",
  timeoutMs: 300,
  baseDelayMs: 5,
  maxDelayMs: 20,
  log: silentLogger,
});

describe("TikLiveAPI client", () => {
  it("sends X-Api-Key to the documented paths and parses JSON", async () => {
    const seen: string[] = [];
    const s = await serve((req, res) => {
      seen.push(`${req.headers["x-api-key"]} ${req.url}`);
      res.end(JSON.stringify({ ok: true }));
    });
    const client = createTikLiveClient(options(s.url));
    assert.deepEqual(await client.userInfo("a b"), { ok: true });
    await client.userPosts("42", 30);
    await client.postComments({ id: "7", creatorUsername: "alice" }, 50);
    assert.deepEqual(seen, [
      "k /api/userinfo-by-username/?username=a+b",
      "k /api/user-posts/?userid=42&count=30",
      "k /api/post-comments/?url=https%3A%2F%2Fwww.tiktok.com%2F%40alice%2Fvideo%2F7&count=50",
    ]);
    await s.close();
  });

  it("honours Retry-After on 429 and gives up after its retries", async () => {
    let calls = 0;
    const times: number[] = [];
    const s = await serve((_req, res) => {
      calls++;
      times.push(Date.now());
      res.writeHead(calls < 3 ? 429 : 503, { "retry-after": "0.1" }).end("{}");
    });
    const client = createTikLiveClient({ ...options(s.url), maxRetries: 3, maxDelayMs: 1000 });
    await assert.rejects(
      client.userInfo("x"),
      (err: unknown) => err instanceof SourceError && /HTTP 503/.test(err.message),
    );
    assert.equal(calls, 4);
    assert.ok(times[1]! - times[0]! >= 90, "Retry-After of 0.1 s was not honoured");
    await s.close();
  });

  it("does not retry a 4xx other than 429, and reports 404 as not found", async () => {
    let calls = 0;
    const s = await serve((req, res) => {
      calls++;
      res.writeHead(req.url!.includes("posts") ? 404 : 401).end("{}");
    });
    const client = createTikLiveClient(options(s.url));
    await assert.rejects(client.userInfo("x"), /HTTP 401/);
    await assert.rejects(
      client.userPosts("1", 1),
      (e: unknown) => e instanceof SourceError && e.kind === "not_found",
    );
    assert.equal(calls, 2);
    await s.close();
  });

  it("stops at its request budget, retries included", async () => {
    let calls = 0;
    const s = await serve((_req, res) => {
      calls++;
      res.writeHead(500).end();
    });
    const client = createTikLiveClient({ ...options(s.url), requestBudget: 3, maxRetries: 10 });
    await assert.rejects(
      client.userInfo("x"),
      (e: unknown) => e instanceof SourceError && e.kind === "budget",
    );
    assert.equal(calls, 3);
    assert.equal(client.requestsMade(), 3);
    await s.close();
  });

  it("caps concurrent requests", async () => {
    let active = 0;
    let peak = 0;
    const s = await serve((_req, res) => {
      active++;
      peak = Math.max(peak, active);
      setTimeout(() => {
        active--;
        res.end("{}");
      }, 30);
    });
    const client = createTikLiveClient({ ...options(s.url), concurrency: 2 });
    await Promise.all(Array.from({ length: 8 }, (_, i) => client.userInfo(`u${i}`)));
    assert.equal(peak, 2);
    await s.close();
  });
});
