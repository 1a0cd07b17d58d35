import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Encoder } from "../../src/embed/encoder.js";
import { createDumpSource } from "../../src/ingest/sources/dump-source.js";
import { createIngestRunner } from "../../src/ingest/ingest-runner.js";
import { scheduleIngestion } from "../../src/ingest/schedules/ingest-schedule.js";
import type { TikTokSource } from "../../src/ingest/sources/source.js";
import { silentLogger, type Logger } from "../../src/platform/logger.js";
import { recentRuns } from "../../src/store/ingest-runs.js";
import { testEncoder } from "../helpers/encoder.js";
import { demoDump } from "../helpers/demo-dump.js";
import { startTestWeaviate, type TestWeaviate } from "../helpers/weaviate.js";

describe("scheduled ingestion (node-cron, live Weaviate)", () => {
  let w: TestWeaviate;
  let encoder: Encoder;
  before(async () => ([w, encoder] = await Promise.all([startTestWeaviate(), testEncoder()])));
  after(async () => {
    await encoder?.dispose();
    await w?.dispose();
  });

  it("runs on its schedule, never overlaps, and records each run", async () => {
    const { dir } = demoDump();
    const dump = createDumpSource(dir);
    // A source that takes ~2.5 s per run, so a once-a-second schedule must skip ticks.
    const slow: TikTokSource = {
      name: "slow dump",
      userInfo: async (u) => (await new Promise((r) => setTimeout(r, 800)), dump.userInfo(u)),
      userPosts: (id, n) => dump.userPosts(id, n),
      postComments: (v, n) => dump.postComments(v, n),
    };
    const skipped: string[] = [];
    const log: Logger = {
      ...silentLogger,
      info: (msg) => void (msg.includes("skipped") && skipped.push(msg)),
      child: () => log,
    };
    const runner = createIngestRunner({ weaviate: w, encoder, log: silentLogger });
    const creators = dump.usernames().slice(0, 3);
    const cfg = {
      creators,
      postsPerCreator: 30,
      commentsPerVideo: 100,
      schedulePosts: "off",
      scheduleComments: "* * * * * *",
      demoCatalogue: "off" as const,
    };
    const schedule = scheduleIngestion(runner, () => slow, cfg, log);
    await new Promise((r) => setTimeout(r, 6_000));
    schedule.stop();
    while (runner.busy()) await new Promise((r) => setTimeout(r, 100));

    const runs = await recentRuns(w, 50);
    assert.ok(runs.length >= 1 && runs.length <= 3, `${runs.length} runs in 6 s of 2.5 s runs`);
    assert.ok(runs.every((r) => r.trigger === "schedule:comments" && r.status === "succeeded"));
    assert.ok(skipped.length >= 1, "a tick during a run should have been skipped");
    // Runs never overlap: each starts after the previous ended.
    const ordered = [...runs].reverse();
    for (let i = 1; i < ordered.length; i++) assert.ok(ordered[i]!.startedAt >= ordered[i - 1]!.finishedAt!);
  });
});
