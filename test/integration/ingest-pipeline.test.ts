import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Encoder } from "../../src/embed/encoder.js";
import { createDumpSource } from "../../src/ingest/sources/dump-source.js";
import { createIngestRunner, type IngestRunner } from "../../src/ingest/ingest-runner.js";
import { createTikLiveClient } from "../../src/ingest/sources/tiklive-client.js";
import { silentLogger } from "../../src/platform/logger.js";
import { recentRuns } from "../../src/store/ingest-runs.js";
import { objectId } from "../../src/store/object-ids.js";
import { testEncoder } from "../helpers/encoder.js";
import { copyDump, demoDump, editJson, readJson } from "../helpers/demo-dump.js";
import { startFakeTikLive, type Fault, type FakeTikLive } from "../helpers/fake-tiklive.js";
import { objectCounts } from "../helpers/store-counts.js";
import { cosine, mean } from "../helpers/vectors.js";
import { startTestWeaviate, type TestWeaviate } from "../helpers/weaviate.js";

// The live-API path end to end: a real HTTP server plays the TikLiveAPI from a dump we mangle,
// injecting transport faults; the pipeline must land exactly what is well-formed, once.
describe("ingestion pipeline over HTTP with faults (live Weaviate, real encoder)", () => {
  let w: TestWeaviate;
  let encoder: Encoder;
  let runner: IngestRunner;
  let api: FakeTikLive;
  const { dir: cleanDir } = demoDump();
  const dir = copyDump(cleanDir);
  const usernames = createDumpSource(dir).usernames();

  // Malformed items: two videos (wrong type, missing field), two comments (wrong type, no user).
  const skater = readJson(join(dir, "users", "skate_pt_1.json")).user;
  const postsFile = join(dir, "posts", `${skater.id}.json`);
  const posts = readJson(postsFile).videos;
  const badVideos = [posts[0].video_id, posts[1].video_id];
  editJson(postsFile, (b) => {
    b.videos[0].create_time = "yesterday";
    delete b.videos[1].author;
  });
  const commentsFile = join(dir, "comments", `${posts[2].video_id}.json`);
  editJson(commentsFile, (b) => {
    b.comments[0].text = 42;
    delete b.comments[1].user;
  });

  // What should land: everything in the dump minus the malformed items (and the comments of the
  // two skipped videos, which are never fetched).
  const expected = { videos: 0, comments: 0 };
  for (const name of usernames) {
    const user = readJson(join(dir, "users", `${name}.json`)).user;
    for (const v of readJson(join(dir, "posts", `${user.id}.json`)).videos) {
      if (badVideos.includes(v.video_id)) continue;
      expected.videos++;
      expected.comments += readJson(join(dir, "comments", `${v.video_id}.json`)).comments.length;
    }
  }
  expected.comments -= 2;

  const faults = (path: string, n: number): Fault | undefined => {
    const plan: [RegExp, Fault[]][] = [
      [/userinfo-by-username\/\?username=skate_en/, ["429", "500"]],
      [/user-posts\/\?userid=7000000000000010/, ["timeout"]],
      [/user-posts\/\?userid=7000000000000020/, ["truncated", "reset"]],
      [new RegExp(`post-comments.*${posts[3].video_id}`), ["garbage", "500"]],
    ];
    return plan.find(([re]) => re.test(path))?.[1][n - 1];
  };

  before(async () => {
    [w, encoder] = await Promise.all([startTestWeaviate(), testEncoder()]);
    runner = createIngestRunner({ weaviate: w, encoder, log: silentLogger });
    api = await startFakeTikLive(dir, faults);
  });
  after(async () => {
    await api?.close();
    await encoder?.dispose();
    await w?.dispose();
  });

  const client = () =>
    createTikLiveClient({
      baseUrl: api.url,
      apiKey: api.apiKey,
      timeoutMs: 500,
      baseDelayMs: 10,
      maxDelayMs: 50,
      log: silentLogger,
    });

  it("comes through faults with exact counts and counts what was malformed", async () => {
    const outcome = await runner.run(client(), usernames, {
      trigger: "test",
      postsPerCreator: 30,
      commentsPerVideo: 100,
    });
    assert.equal(outcome.status, "succeeded", outcome.counts.errors.join("\n"));
    assert.deepEqual(outcome.counts.malformed, { userinfo: 0, posts: 2, comments: 2 });
    const counts = await objectCounts(w);
    assert.equal(counts.Video, expected.videos);
    assert.equal(counts.Comment, expected.comments);
    assert.equal(counts.Creator, usernames.length);
    assert.equal(counts.CreatorBio, usernames.length);
    assert.equal(counts.UserInterest, outcome.counts.users);
    assert.equal(counts.UserVideoInterest, outcome.counts.users);
    assert.equal(outcome.counts.embedded, expected.videos + expected.comments + usernames.length);
  });

  it("a second run changes nothing and embeds nothing", async () => {
    const before = await objectCounts(w);
    const outcome = await runner.run(client(), usernames, {
      trigger: "test",
      postsPerCreator: 30,
      commentsPerVideo: 100,
    });
    assert.equal(outcome.counts.embedded, 0);
    assert.ok(
      Object.values(outcome.counts.written).every((n) => n === 0),
      JSON.stringify(outcome.counts.written),
    );
    assert.deepEqual(await objectCounts(w), before);
  });

  it("replaying the same dump from disk lands the same objects", async () => {
    const outcome = await runner.run(createDumpSource(dir), usernames, { trigger: "test" });
    assert.equal(outcome.counts.embedded, 0);
    assert.equal(outcome.counts.videos, expected.videos);
  });

  it("keeps creator and interest centroids fresh after batch writes", async () => {
    const creatorId = skater.id as string;
    const creator = await w.client.collections
      .get("Creator")
      .query.fetchObjectById(objectId("Creator", creatorId), {
        includeVector: true,
        returnReferences: [
          { linkOn: "videos", includeVector: true },
          { linkOn: "bio", includeVector: true },
        ] as never,
      });
    const members = [...creator!.references!.videos!.objects, ...creator!.references!.bio!.objects].map(
      (o) => o.vectors.default as number[],
    );
    assert.equal(members.length, posts.length - badVideos.length + 1);
    assert.ok(cosine(creator!.vectors.default as number[], mean(members)) >= 0.9999);

    const interest = await w.client.collections
      .get("UserInterest")
      .query.fetchObjectById(objectId("UserInterest", "demo-user-skater-pt"), {
        includeVector: true,
        returnReferences: [{ linkOn: "comments", includeVector: true }] as never,
      });
    const comments = interest!.references!.comments!.objects.map((o) => o.vectors.default as number[]);
    assert.ok(comments.length > 0);
    assert.ok(cosine(interest!.vectors.default as number[], mean(comments)) >= 0.9999);
  });

  it("records every run with its counts", async () => {
    const runs = await recentRuns(w, 10);
    assert.equal(runs.length, 3);
    assert.ok(runs.every((r) => r.status === "succeeded" && r.finishedAt));
    assert.equal(runs[2]!.counts.videos, expected.videos);
  });

  it("refuses a second run while one is in progress", async () => {
    const first = runner.run(createDumpSource(dir), usernames.slice(0, 1), { trigger: "test" });
    await assert.rejects(
      runner.run(createDumpSource(dir), usernames.slice(0, 1), { trigger: "test" }),
      /already in progress/,
    );
    await first;
  });
});
