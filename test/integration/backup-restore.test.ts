import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../src/platform/config/config.js";
import { REPO_ROOT } from "../../src/platform/paths.js";
import type { Encoder } from "../../src/embed/encoder.js";
import { createDumpSource } from "../../src/ingest/sources/dump-source.js";
import { createIngestRunner } from "../../src/ingest/ingest-runner.js";
import { silentLogger } from "../../src/platform/logger.js";
import { recommendForUser } from "../../src/recommend/recommendations.js";
import { everyObject } from "../../src/store/collections/every-object.js";
import type { WeaviateHandle } from "../../src/store/weaviate-handle.js";
import { openWeaviate } from "../../src/store/client/weaviate-connection.js";
import { demoDump } from "../helpers/demo-dump.js";
import { testEncoder } from "../helpers/encoder.js";
import { objectCounts } from "../helpers/store-counts.js";
import { startTestWeaviate, type TestWeaviate } from "../helpers/weaviate.js";

const USERS = ["demo-user-skater-pt", "demo-user-0", "demo-user-3", "demo-user-7"];
const CENTROID_CLASSES = ["Creator", "UserInterest", "UserVideoInterest"];

/** Runs `npm run backup`'s program with the given environment (WEAVIATE_URL unset unless given). */
function backupCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "warn", ...env };
  if (!env.WEAVIATE_URL) delete childEnv.WEAVIATE_URL;
  const child = spawn(process.execPath, [join(REPO_ROOT, "dist", "src", "cli", "backup.js"), ...args], {
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, output })));
}

const external = (h: WeaviateHandle) => ({
  WEAVIATE_URL: h.restUrl,
  WEAVIATE_GRPC_URL: `grpc://127.0.0.1:${h.embedded!.grpcPort}`,
});

async function recommendations(handle: WeaviateHandle): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const userId of USERS) {
    const deps = { weaviate: handle, coldStart: { minComments: 3, minMembers: 3 } };
    const outcome = await recommendForUser(deps, {
      userId,
      pageSize: 10,
      filters: {},
      maxPerCreator: 2,
      coldStart: true,
      rerank: false,
    });
    assert.equal(outcome.kind, "list", `${userId}: ${outcome.kind}`);
    out[userId] = outcome.kind === "list" ? outcome.items.slice(0, 20).map((i) => i.videoId) : [];
  }
  return out;
}

async function centroids(handle: WeaviateHandle): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const name of CENTROID_CLASSES) {
    const coll = handle.client.collections.get(name);
    for await (const obj of everyObject((p) => coll.query.fetchObjects({ ...p, includeVector: true }))) {
      const v = obj.vectors?.default as number[] | undefined;
      if (v && v.length > 0) out.set(`${name}/${obj.uuid}`, v);
    }
  }
  return out;
}

// A backup restored into a fresh data folder answers exactly as the original: same objects, same
// centroid vectors, the same ordered recommendations.
describe("backup and restore through npm run backup (live Weaviate)", () => {
  const backups = mkdtempSync(join(tmpdir(), "tiktok-recs-backups-"));
  const restoredRoot = mkdtempSync(join(tmpdir(), "tiktok-recs-restored-"));
  const restoredDir = join(restoredRoot, "weaviate");
  let source: TestWeaviate;
  let restored: WeaviateHandle | undefined;
  let encoder: Encoder;

  before(async () => {
    [source, encoder] = await Promise.all([
      startTestWeaviate({ env: { BACKUP_FILESYSTEM_PATH: backups } }),
      testEncoder(),
    ]);
    const { dir } = demoDump();
    const dump = createDumpSource(dir);
    const run = await createIngestRunner({ weaviate: source, encoder, log: silentLogger }).run(
      dump,
      dump.usernames(),
      { trigger: "test" },
    );
    assert.equal(run.status, "succeeded");
  });
  after(async () => {
    await encoder?.dispose();
    await restored?.close();
    await source?.dispose();
    rmSync(backups, { recursive: true, force: true });
    rmSync(restoredRoot, { recursive: true, force: true });
  });

  it("refuses bad arguments before touching Weaviate", async () => {
    const noId = await backupCli(["restore"], {
      BACKUP_FILESYSTEM_PATH: backups,
      WEAVIATE_DATA_DIR: join(restoredRoot, "unused"),
    });
    assert.equal(noId.code, 2);
    assert.match(noId.output, /restore needs --id/);
    const badId = await backupCli(["create", "--id", "Not Valid"], {
      BACKUP_FILESYSTEM_PATH: backups,
      WEAVIATE_DATA_DIR: join(restoredRoot, "unused"),
    });
    assert.equal(badId.code, 2);
    assert.match(badId.output, /lowercase letters/);
  });

  it("creates a backup of a running store (external WEAVIATE_URL), restores it into a fresh folder (embedded), and the copy answers the same", async (t) => {
    const before = {
      counts: await objectCounts(source),
      recs: await recommendations(source),
      centroids: await centroids(source),
    };
    assert.ok(
      before.counts.Video! > 0 && before.centroids.size > before.counts.Creator!,
      "the source store should hold the demo catalogue",
    );

    const created = await backupCli(["create", "--id", "catalogue-1"], external(source));
    assert.equal(created.code, 0, created.output);
    assert.match(created.output, /backup catalogue-1: SUCCESS/);
    assert.match(created.output, /backup catalogue-1 created in [\d.]+ s: 10 classes/);

    // The CLI starts the embedded server on the empty folder itself, as `npm run backup` does with no WEAVIATE_URL.
    const restoreRun = await backupCli(["restore", "--id", "catalogue-1"], {
      WEAVIATE_DATA_DIR: restoredDir,
      BACKUP_FILESYSTEM_PATH: backups,
    });
    assert.equal(restoreRun.code, 0, restoreRun.output);
    assert.match(restoreRun.output, /backup catalogue-1 restored in [\d.]+ s: 10 classes/);
    t.diagnostic(
      `${/backup catalogue-1 created in [\d.]+ s/.exec(created.output)?.[0]}; ${/restored in [\d.]+ s/.exec(restoreRun.output)?.[0]}; ${JSON.stringify(before.counts)}`,
    );

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      WEAVIATE_DATA_DIR: restoredDir,
      BACKUP_FILESYSTEM_PATH: backups,
    };
    delete env.WEAVIATE_URL;
    restored = await openWeaviate(loadConfig(env).weaviate, silentLogger);
    assert.deepEqual(await objectCounts(restored), before.counts);
    assert.deepEqual(await recommendations(restored), before.recs);
    const after = await centroids(restored);
    assert.deepEqual([...after.keys()].sort(), [...before.centroids.keys()].sort());
    for (const [key, want] of before.centroids) {
      const got = after.get(key)!;
      const worst = Math.max(...want.map((x, i) => Math.abs(x - got[i]!)));
      assert.ok(worst <= 1e-6, `${key}: centroid differs by ${worst}`);
    }
  });

  it("restoring onto a store that already has the classes says what to do", async () => {
    assert.ok(restored, "needs the restored store of the previous test");
    const again = await backupCli(["restore", "--id", "catalogue-1"], external(restored));
    assert.equal(again.code, 1);
    assert.match(again.output, /already has classes \(.*Video.*\)/);
    assert.match(again.output, /point WEAVIATE_DATA_DIR at a new empty folder/);
    assert.equal(
      (await objectCounts(restored)).Video,
      (await objectCounts(source)).Video,
      "the refused restore must leave the store as it was",
    );
  });

  it("an unknown backup id is a clear failure", async () => {
    const missing = await backupCli(["restore", "--id", "no-such-backup"], {
      WEAVIATE_DATA_DIR: join(restoredRoot, "empty"),
      BACKUP_FILESYSTEM_PATH: backups,
    });
    assert.equal(missing.code, 1, missing.output);
    assert.match(missing.output, /backup restore failed: .*no-such-backup/);
  });
});
