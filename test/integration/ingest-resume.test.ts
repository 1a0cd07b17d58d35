import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, it } from "node:test";
import { loadConfig } from "../../src/platform/config/config.js";
import { REPO_ROOT } from "../../src/platform/paths.js";
import { silentLogger } from "../../src/platform/logger.js";
import type { WeaviateHandle } from "../../src/store/weaviate-handle.js";
import { openWeaviate } from "../../src/store/client/weaviate-connection.js";
import { demoDump } from "../helpers/demo-dump.js";
import { objectCounts } from "../helpers/store-counts.js";
import { startTestWeaviate, type TestWeaviate } from "../helpers/weaviate.js";

interface CliRun {
  code: number | null;
  output: string;
}

/** Runs `npm run ingest`'s program against a given Weaviate; `killAt` fires once progress passes a percentage. */
function runIngestCli(
  handle: WeaviateHandle,
  dump: string,
  killAt?: { percent: number; kill: (child: ReturnType<typeof spawn>) => void },
): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WEAVIATE_URL: handle.restUrl,
    WEAVIATE_GRPC_URL: `grpc://127.0.0.1:${handle.embedded!.grpcPort}`,
    LOG_LEVEL: "warn",
  };
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, "dist", "src", "cli", "ingest.js"), "--dump", dump],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  let killed = false;
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    const percents = [...output.matchAll(/creators\s+(\d+)%/g)].map((m) => Number(m[1]));
    if (killAt && !killed && percents.some((p) => p >= killAt.percent)) {
      killed = true;
      killAt.kill(child);
    }
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, output })));
}

// Killing the ingest process, or Weaviate under it, midway and running again must end with
// exactly the source's objects: nothing missing, nothing twice.
describe("ingestion killed midway resumes to exact counts (live Weaviate)", () => {
  const { dir, summary } = demoDump();
  const expected = {
    Video: summary.videos,
    Comment: summary.comments,
    Creator: summary.creators,
    CreatorBio: summary.creators,
    UserInterest: summary.commenters,
    UserVideoInterest: summary.commenters,
  };
  let w: TestWeaviate | undefined;
  let restarted: WeaviateHandle | undefined;
  afterEach(async () => {
    await restarted?.close();
    await w?.dispose();
    restarted = w = undefined;
  });

  it("SIGKILL of the ingest process, then a rerun", async () => {
    w = await startTestWeaviate();
    const killed = await runIngestCli(w, dir, { percent: 30, kill: (c) => c.kill("SIGKILL") });
    assert.equal(killed.code, null, "the run should have been killed");
    const partial = await objectCounts(w);
    assert.ok(
      partial.Video! > 0 && partial.Video! < expected.Video,
      `partial run wrote ${partial.Video} videos`,
    );
    const rerun = await runIngestCli(w, dir);
    assert.equal(rerun.code, 0, rerun.output);
    assert.deepEqual(await objectCounts(w), expected);
  });

  it("SIGKILL of Weaviate mid-run fails loudly; after a restart the rerun completes", async () => {
    w = await startTestWeaviate();
    const current = w;
    const died = await runIngestCli(current, dir, {
      percent: 30,
      kill: () => process.kill(current.embedded!.pid, "SIGKILL"),
    });
    assert.notEqual(died.code, 0);
    assert.match(died.output, /ingest failed: /);
    // Same data folder, fresh process (and ports).
    const env: NodeJS.ProcessEnv = { ...process.env, WEAVIATE_DATA_DIR: w.dataDir };
    delete env.WEAVIATE_URL;
    restarted = await openWeaviate(loadConfig(env).weaviate, silentLogger);
    const rerun = await runIngestCli(restarted, dir);
    assert.equal(rerun.code, 0, rerun.output);
    assert.deepEqual(await objectCounts(restarted), expected);
  });
});
