import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it, type TestContext } from "node:test";
import { loadConfig } from "../../src/platform/config/config.js";
import { silentLogger } from "../../src/platform/logger.js";
import { markerPath } from "../../src/store/server/store-marker.js";
import { openWeaviate } from "../../src/store/client/weaviate-connection.js";
import { startServerProcess } from "../helpers/server-process.js";
import { seededVectors } from "../helpers/vectors.js";
import { startTestWeaviate } from "../helpers/weaviate.js";

const VIDEOS = 50;

/** Opens the embedded store on dataDir as every entry point does, and closes it again. */
async function openAndClose(dataDir: string): Promise<number> {
  const env: NodeJS.ProcessEnv = { ...process.env, WEAVIATE_DATA_DIR: dataDir };
  delete env.WEAVIATE_URL;
  const handle = await openWeaviate(loadConfig(env).weaviate, silentLogger);
  try {
    return (await handle.client.collections.get("Video").aggregate.overAll()).totalCount;
  } finally {
    await handle.close();
  }
}

/** A tmpfs of the given size, or a skip where this process may not mount one (it needs root). */
function mountTmpfs(t: TestContext, dir: string, size: string): boolean {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], { stdio: "pipe" });
    return true;
  } catch (err) {
    t.skip(`cannot mount a tmpfs here: ${(err as Error).message.split("\n")[0]}`);
    return false;
  }
}

// What weaviate-server v1.39 does with a damaged data folder, and what we make of it: every case
// must fail at start with the folder and the cause named; none may come up as an empty store.
describe("a damaged, read-only or full data folder fails at start (live Weaviate)", () => {
  const root = mkdtempSync(join(tmpdir(), "tiktok-recs-datadir-"));
  const base = join(root, "base");
  const mounts: string[] = [];

  before(async () => {
    const w = await startTestWeaviate();
    const inserted = await w.client.collections.get("Video").data.insertMany(
      seededVectors(VIDEOS).map((v, i) => ({
        properties: { videoId: `v${i}`, title: `video ${i}` },
        vectors: v,
      })),
    );
    assert.equal(inserted.hasErrors, false);
    await w.close(); // a clean shutdown records the marker
    cpSync(w.dataDir, base, { recursive: true });
    rmSync(join(w.dataDir, ".."), { recursive: true, force: true });
  });
  after(() => {
    for (const m of mounts) execFileSync("umount", [m]);
    rmSync(root, { recursive: true, force: true });
  });

  /** A fresh copy of the healthy store, damaged by `damage`. */
  function damagedCopy(name: string, damage: (dir: string) => void): string {
    const dir = join(root, name, "weaviate");
    cpSync(base, dir, { recursive: true });
    damage(dir);
    return dir;
  }
  const recordedVideos = (dir: string) =>
    JSON.parse(readFileSync(markerPath(dir), "utf8")).counts.Video as number;
  const shard = (dir: string, cls: string) => join(dir, cls, readdirSync(join(dir, cls))[0]!);

  it("control: an untouched copy opens with every object, and a clean shutdown recorded them", async () => {
    const dir = damagedCopy("untouched", () => {});
    assert.equal(recordedVideos(dir), VIDEOS);
    assert.equal(await openAndClose(dir), VIDEOS);
  });

  it("the data folder is a file", async () => {
    const file = join(root, "a-file");
    writeFileSync(file, "not a folder");
    await assert.rejects(
      openAndClose(file),
      (err: Error) => err.message.includes(file) && /not a folder/.test(err.message),
    );
  });

  it("garbage in raft/raft.db: Weaviate exits, we say which file and why", async () => {
    const dir = damagedCopy("raft-garbage", (d) =>
      writeFileSync(join(d, "raft", "raft.db"), Buffer.alloc(1000, 7)),
    );
    await assert.rejects(
      openAndClose(dir),
      (err: Error) =>
        err.message.includes(dir) && /raft store: .*bolt db: invalid database/.test(err.message),
    );
  });

  it("a truncated schema.db: Weaviate exits, we say why", async () => {
    const dir = damagedCopy("schema-truncated", (d) =>
      writeFileSync(join(d, "schema.db"), Buffer.alloc(5000)),
    );
    await assert.rejects(
      openAndClose(dir),
      (err: Error) => err.message.includes(dir) && /schema\.db.*file size too small/.test(err.message),
    );
  });

  it("raft/ removed: Weaviate comes up with no classes; the marker makes us refuse", async () => {
    const dir = damagedCopy("raft-removed", (d) => rmSync(join(d, "raft"), { recursive: true }));
    await assert.rejects(
      openAndClose(dir),
      (err: Error) =>
        err.message.includes(dir) &&
        new RegExp(`Video: held ${VIDEOS} objects .*the class is gone`).test(err.message),
    );
    assert.equal(
      recordedVideos(dir),
      VIDEOS,
      "a refused start must not overwrite the marker, or the next start would pass",
    );
    await assert.rejects(openAndClose(dir), /the class is gone/, "and it keeps refusing");
  });

  it("a class's shard folder removed: Weaviate serves the class empty; the marker makes us refuse", async () => {
    const dir = damagedCopy("shard-removed", (d) => rmSync(join(d, "video"), { recursive: true }));
    await assert.rejects(openAndClose(dir), (err: Error) =>
      new RegExp(`Video: held ${VIDEOS} objects .*; now 0`).test(err.message),
    );
  });

  it("garbage in a shard's object segment: the class cannot be read, and we say so", async () => {
    const dir = damagedCopy("segment-garbage", (d) => {
      const objects = join(shard(d, "video"), "lsm", "objects");
      for (const f of readdirSync(objects)) writeFileSync(join(objects, f), Buffer.alloc(2000, 9));
    });
    await assert.rejects(
      openAndClose(dir),
      (err: Error) => err.message.includes(dir) && /Video: Weaviate cannot read this class/.test(err.message),
    );
  });

  it("a read-only data folder (a read-only tmpfs)", async (t) => {
    const mount = join(root, "ro");
    if (!mountTmpfs(t, mount, "16m")) return;
    mounts.push(mount);
    cpSync(base, join(mount, "weaviate"), { recursive: true });
    execFileSync("mount", ["-o", "remount,ro", mount]);
    const dir = join(mount, "weaviate");
    await assert.rejects(
      openAndClose(dir),
      (err: Error) =>
        err.message.includes(dir) && /not writable \(read-only file system \(EROFS\)\)/.test(err.message),
    );
  });

  it("a full disk (a filled 8 MiB tmpfs)", async (t) => {
    const mount = join(root, "full");
    if (!mountTmpfs(t, mount, "8m")) return;
    mounts.push(mount);
    cpSync(base, join(mount, "weaviate"), { recursive: true });
    try {
      writeFileSync(join(mount, "filler"), Buffer.alloc(16 * 1024 * 1024));
    } catch {
      // ENOSPC once the disk is full: what we want
    }
    const dir = join(mount, "weaviate");
    await assert.rejects(
      openAndClose(dir),
      (err: Error) => err.message.includes(dir) && /its disk is full/.test(err.message),
    );
  });

  it("the API refuses to start on an emptied store instead of re-seeding the demo catalogue", async () => {
    const dir = damagedCopy("api-raft-removed", (d) => rmSync(join(d, "raft"), { recursive: true }));
    const started = startServerProcess(
      {
        DEMO_CATALOGUE: "auto",
        RERANK_MODEL: "off",
        INGEST_SCHEDULE_POSTS: "off",
        INGEST_SCHEDULE_COMMENTS: "off",
      },
      { dataDir: dir },
    );
    await assert.rejects(
      started,
      (err: Error) =>
        /exited with 1/.test(err.message) &&
        new RegExp(`Video: held ${VIDEOS} objects`).test(err.message) &&
        !/ingesting the demo catalogue/.test(err.message),
    );
    assert.equal(recordedVideos(dir), VIDEOS);
  });
});
