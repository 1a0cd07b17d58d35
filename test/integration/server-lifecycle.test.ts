import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isAlive, startServerProcess, waitUntilGone } from "../helpers/server-process.js";

// The embedded weaviate-server must never outlive the service, however the service ends.
describe("server process lifecycle (real weaviate-server child)", () => {
  it("SIGTERM drains, stops Weaviate and exits 0", async () => {
    const server = await startServerProcess();
    assert.ok(server.weaviatePid > 0 && isAlive(server.weaviatePid), "weaviate should be running");
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0, server.logs.join("\n"));
    assert.ok(server.logs.some((l) => l.includes("stopped cleanly")));
    assert.ok(await waitUntilGone(server.weaviatePid, 5_000), "weaviate still running after a clean stop");
  });

  it("SIGKILL of the service leaves no orphaned weaviate-server", async () => {
    const server = await startServerProcess();
    assert.ok(isAlive(server.weaviatePid));
    server.child.kill("SIGKILL");
    await server.exited;
    assert.ok(
      await waitUntilGone(server.weaviatePid, 20_000),
      `weaviate-server ${server.weaviatePid} outlived its killed parent`,
    );
  });
});
