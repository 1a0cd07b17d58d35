import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import type { WeaviateClient } from "weaviate-client";
import { silentLogger } from "../../src/platform/logger.js";
import { NodePool, type PoolNode } from "../../src/store/client/node-pool.js";

// Real sockets on loopback: a node that answers, one that cuts the first socket it serves (what
// a keep-alive connection closed by the server looks like), one that hangs, and a closed port.
const servers: Server[] = [];
async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
async function closedPort(): Promise<string> {
  const url = await serve(() => {});
  await new Promise<void>((r) => servers.pop()!.close(() => r()));
  return url;
}
const node = (url: string): PoolNode => ({
  url,
  connect: async () => ({}) as WeaviateClient,
  close: async () => {},
});
const get = (url: string) => fetch(`${url}/x`).then((r) => r.text());
const policy = { windowMs: 1_500, backoffMs: 50 };

describe("NodePool (real HTTP on loopback)", () => {
  after(() => servers.forEach((s) => (s.close(), s.closeAllConnections())));

  it("retries a repeatable call once on the same node when its socket was cut", async () => {
    let n = 0;
    const url = await serve((req, res) => (++n === 1 ? req.socket.destroy() : res.end("ok")));
    const pool = new NodePool([node(url)], policy, silentLogger);
    assert.equal(await pool.run(true, (_c, u) => get(u)), "ok");
    assert.equal(n, 2);
    assert.equal(pool.moves, 0);
  });

  it("does not repeat a call that may have landed", async () => {
    let n = 0;
    const url = await serve((req) => void (++n, req.socket.destroy()));
    const pool = new NodePool([node(url), node(await serve((_q, r) => r.end("b")))], policy, silentLogger);
    await assert.rejects(
      pool.run(false, (_c, u) => get(u)),
      /fetch failed/,
    );
    assert.equal(n, 1, "sent once");
  });

  it("moves any call off a node that refuses connections, and stays on the next one", async () => {
    const dead = await closedPort();
    const live = await serve((_q, r) => r.end("live"));
    const pool = new NodePool([node(dead), node(live)], policy, silentLogger);
    assert.equal(await pool.run(false, (_c, u) => get(u)), "live");
    assert.equal(pool.url, live);
    assert.equal(pool.moves, 1);
    assert.equal(await pool.run(true, (_c, u) => get(u)), "live");
    assert.equal(pool.moves, 1);
  });

  it("leaves a hung call on a node whose liveness probe is refused", { timeout: 10_000 }, async () => {
    // The hung node's own server stops listening once the call is in flight, as a killed node's would.
    let hung: Server | undefined;
    const hangs = await serve(() => {
      hung = servers.at(-2);
      hung?.close();
    });
    const live = await serve((_q, r) => r.end("live"));
    const pool = new NodePool([node(hangs), node(live)], policy, silentLogger);
    const t0 = Date.now();
    assert.equal(await pool.run(true, (_c, u) => get(u)), "live");
    assert.ok(Date.now() - t0 < 1_500, `moved after ${Date.now() - t0} ms`);
  });

  it("gives up after the window when every node refuses", async () => {
    const pool = new NodePool([node(await closedPort()), node(await closedPort())], policy, silentLogger);
    const t0 = Date.now();
    await assert.rejects(
      pool.run(true, (_c, u) => get(u)),
      /fetch failed/,
    );
    const took = Date.now() - t0;
    assert.ok(took >= policy.windowMs && took < policy.windowMs + 1_000, `gave up after ${took} ms`);
  });
});
