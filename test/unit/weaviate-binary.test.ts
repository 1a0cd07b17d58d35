import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { silentLogger } from "../../src/platform/logger.js";
import { cachedBinaryPath, resolveWeaviateBinary } from "../../src/store/server/weaviate-binary.js";

describe("weaviate-server provisioning order", () => {
  const cacheDir = () => mkdtempSync(join(tmpdir(), "tiktok-recs-cache-"));

  it("WEAVIATE_BIN wins, and a missing one is an error, not a fallback", async () => {
    const bin = join(cacheDir(), "my-weaviate");
    writeFileSync(bin, "#!/bin/sh\n");
    assert.deepEqual(
      await resolveWeaviateBinary({ explicit: bin, cacheDir: cacheDir(), log: silentLogger }),
      {
        path: bin,
        version: "1.39.0",
        source: "WEAVIATE_BIN",
      },
    );
    await assert.rejects(
      resolveWeaviateBinary({ explicit: "/nope/weaviate", cacheDir: cacheDir(), log: silentLogger }),
      /WEAVIATE_BIN=\/nope\/weaviate does not exist/,
    );
  });

  it("reuses the cached build for the pinned version without building", async () => {
    const dir = cacheDir();
    const cached = cachedBinaryPath(dir);
    mkdirSync(dirname(cached), { recursive: true });
    writeFileSync(cached, "#!/bin/sh\n");
    chmodSync(cached, 0o755);
    const got = await resolveWeaviateBinary({ cacheDir: dir, log: silentLogger, go: "/nonexistent/go" });
    assert.equal(got.source, "cache");
    assert.equal(got.path, cached);
  });

  it("with no binary, no Go and no release archive, one error lists every way out", async () => {
    const err = await resolveWeaviateBinary({
      cacheDir: cacheDir(),
      log: silentLogger,
      go: "/nonexistent/go",
      releaseBaseUrl: "http://127.0.0.1:9",
    }).then(
      () => assert.fail("should not resolve"),
      (e: Error) => e,
    );
    for (const hint of [
      "WEAVIATE_BIN",
      "install Go",
      "release archive",
      "WEAVIATE_URL",
      "tried go install",
      "tried release archive",
    ]) {
      assert.match(err.message, new RegExp(hint));
    }
  });
});
