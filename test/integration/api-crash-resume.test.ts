import assert from "node:assert/strict";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { hashKey } from "../../src/platform/config/api-keys.js";
import { loadConfig } from "../../src/platform/config/config.js";
import { silentLogger } from "../../src/platform/logger.js";
import { everyObject } from "../../src/store/collections/every-object.js";
import type { WeaviateHandle } from "../../src/store/weaviate-handle.js";
import { openWeaviate } from "../../src/store/client/weaviate-connection.js";
import { demoDump, readJson } from "../helpers/demo-dump.js";
import { startFakeTikLive, type FakeTikLive } from "../helpers/fake-tiklive.js";
import { startServerProcess, waitUntilGone, type ServerProcess } from "../helpers/server-process.js";
import { objectCounts } from "../helpers/store-counts.js";
import { cosine, mean } from "../helpers/vectors.js";

const ADMIN = "admin-key-for-crash-tests";

/** A look inside the API's embedded Weaviate, as an external client. */
function peek(api: ServerProcess): Promise<WeaviateHandle> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WEAVIATE_URL: api.weaviateUrl,
    WEAVIATE_GRPC_URL: `grpc://127.0.0.1:${api.weaviateGrpcPort}`,
  };
  return openWeaviate(loadConfig(env).weaviate, silentLogger);
}

async function graphql(api: ServerProcess, query: string): Promise<any> {
  const res = await fetch(api.url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": ADMIN },
    body: JSON.stringify({ query }),
  });
  const body = (await res.json()) as { data?: unknown; errors?: unknown };
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

/** Every parent's ref2vec vector against the mean of the vectors it references. */
async function worstCentroid(
  handle: WeaviateHandle,
): Promise<{ parents: number; worst: number; at: string }> {
  const parents: [string, string[]][] = [
    ["Creator", ["videos", "bio"]],
    ["UserInterest", ["comments"]],
    ["UserVideoInterest", ["videos"]],
  ];
  let worst = 1;
  let at = "";
  let count = 0;
  for (const [name, refs] of parents) {
    const res = await handle.client.collections.get(name).query.fetchObjects({
      limit: 10_000,
      includeVector: true,
      returnReferences: refs.map((linkOn) => ({ linkOn, includeVector: true })) as never,
    });
    for (const obj of res.objects) {
      const members = refs
        .flatMap((r) => obj.references?.[r]?.objects ?? [])
        .map((o) => o.vectors.default as number[]);
      assert.ok(members.length > 0, `${name} ${obj.uuid} references nothing`);
      const c = cosine(obj.vectors.default as number[], mean(members));
      count++;
      if (c < worst) [worst, at] = [c, `${name} ${obj.uuid}`];
    }
  }
  return { parents: count, worst, at };
}

// kill -9 of the whole API (its embedded Weaviate stops through the lifeline) in the middle of an
// admin-triggered ingestion from the TikLiveAPI; a restart on the same folder and a second run end
// with exactly the source's objects, once each, and centroids equal to the mean of what they reference.
describe("kill -9 of the API mid-ingestion, then a restart and a rerun (live Weaviate, fake TikLiveAPI)", () => {
  const { dir, summary } = demoDump();
  const expected = {
    Video: summary.videos,
    Comment: summary.comments,
    Creator: summary.creators,
    CreatorBio: summary.creators,
    UserInterest: summary.commenters,
    UserVideoInterest: summary.commenters,
  };
  const expectedVideoIds = readdirSync(join(dir, "posts"))
    .flatMap((f) => readJson(join(dir, "posts", f)).videos.map((v: { video_id: string }) => v.video_id))
    .sort();
  const usernames = readdirSync(join(dir, "users")).map((f) => f.replace(/\.json$/, ""));
  let fake: FakeTikLive | undefined;
  let api: ServerProcess | undefined;
  let inside: WeaviateHandle | undefined;
  after(async () => {
    await inside?.close();
    api?.child.kill("SIGTERM");
    await api?.exited;
    await fake?.close();
    if (api) rmSync(join(api.dataDir, ".."), { recursive: true, force: true });
  });

  it("resumes to exact counts, no duplicates and fresh centroids", async (t) => {
    fake = await startFakeTikLive(dir);
    const env = {
      DEMO_CATALOGUE: "off",
      TIKLIVE_BASE_URL: fake.url,
      TIKLIVE_API_KEY: fake.apiKey,
      INGEST_CREATORS: usernames.join(","),
      INGEST_SCHEDULE_POSTS: "off",
      INGEST_SCHEDULE_COMMENTS: "off",
      COHORT_REFRESH_SCHEDULE: "off",
      RERANK_MODEL: "off",
      API_KEYS: `ops:admin:${hashKey(ADMIN)}`,
    };
    api = await startServerProcess(env);
    inside = await peek(api);
    const started = await graphql(api, "mutation { triggerIngestion { started message } }");
    assert.equal(started.triggerIngestion.started, true, started.triggerIngestion.message);
    // Kill once some creators are complete (their centroids written) and a quarter of the videos are in.
    const deadline = Date.now() + 120_000;
    for (
      let now = await objectCounts(inside);
      !(now.Creator! > 0 && now.Video! >= expected.Video / 4);
      now = await objectCounts(inside)
    ) {
      assert.ok(Date.now() < deadline, `the run did not get far enough within 120 s: ${JSON.stringify(now)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    api.child.kill("SIGKILL");
    await inside.close();
    inside = undefined;
    assert.equal(await api.exited, null, "the API should have died by the signal");
    assert.ok(
      await waitUntilGone(api.weaviatePid, 30_000),
      "the lifeline should stop the API's weaviate-server",
    );

    api = await startServerProcess(env, { dataDir: api.dataDir });
    inside = await peek(api);
    const partial = await objectCounts(inside);
    assert.ok(
      partial.Video! > 0 && partial.Video! < expected.Video,
      `the killed run should have left part of the catalogue: ${JSON.stringify(partial)}`,
    );
    t.diagnostic(`after the kill: ${JSON.stringify(partial)} of ${JSON.stringify(expected)}`);

    const rerun = await graphql(api, "mutation { triggerIngestion { started message } }");
    assert.equal(rerun.triggerIngestion.started, true, rerun.triggerIngestion.message);
    let runs: { trigger: string; status: string }[] = [];
    for (
      const until = Date.now() + 180_000;
      Date.now() < until;
      await new Promise((r) => setTimeout(r, 250))
    ) {
      runs = (await graphql(api, "{ ingestRuns(limit: 5) { trigger status } }")).ingestRuns;
      if (runs.length === 2 && runs[0]!.status !== "running") break;
    }
    assert.equal(runs.length, 2, JSON.stringify(runs));
    assert.equal(runs[0]!.status, "succeeded", JSON.stringify(runs));
    assert.equal(
      runs[1]!.status,
      "interrupted",
      "the killed run is marked at the restart, not left running forever",
    );

    assert.deepEqual(await objectCounts(inside), expected);
    const stored: string[] = [];
    const videos = inside.client.collections.get("Video");
    for await (const v of everyObject((p) =>
      videos.query.fetchObjects({ ...p, returnProperties: ["videoId"] }),
    ))
      stored.push(String(v.properties.videoId));
    assert.deepEqual(stored.sort(), expectedVideoIds, "every source video exactly once");
    const centroids = await worstCentroid(inside);
    assert.equal(centroids.parents, expected.Creator + expected.UserInterest + expected.UserVideoInterest);
    t.diagnostic(
      `centroids checked: ${centroids.parents}, worst cosine to the mean of their references ${centroids.worst.toFixed(6)}`,
    );
    assert.ok(
      centroids.worst >= 0.9999,
      `stale centroid: ${centroids.at} has cosine ${centroids.worst.toFixed(5)} to the mean of its references`,
    );
  });
});
