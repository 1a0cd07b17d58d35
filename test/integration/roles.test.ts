import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { hashKey } from "../../src/platform/config/api-keys.js";
import { createIngestRunner } from "../../src/ingest/ingest-runner.js";
import { createDumpSource } from "../../src/ingest/sources/dump-source.js";
import { silentLogger } from "../../src/platform/logger.js";
import { recentRuns } from "../../src/store/ingest-runs.js";
import { testEncoder } from "../helpers/encoder.js";
import { demoDump } from "../helpers/demo-dump.js";
import { startFakeTikLive, type FakeTikLive } from "../helpers/fake-tiklive.js";
import { startTestPostgres, type TestPostgres } from "../helpers/event-store.js";
import { operation } from "../helpers/operations.js";
import { startServerProcess, type ServerProcess } from "../helpers/server-process.js";
import { objectCounts } from "../helpers/store-counts.js";
import { startTestWeaviate, type TestWeaviate } from "../helpers/weaviate.js";

const KEY = "roles-partner-key";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A counter's value at /metrics, summed over the series whose labels include `labels`. */
function metric(text: string, name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
      sum += Number(line.split(" ").pop());
  }
  return sum;
}

// Two workers and two API replicas on one real Weaviate and one real PostgreSQL, ingesting from
// the fake TikLiveAPI on second-granular schedules: every firing must run on exactly one worker.
describe("roles: API replicas serve, workers share the schedules", () => {
  let weaviate: TestWeaviate;
  let postgres: TestPostgres;
  let fake: FakeTikLive;
  let eventsUrl = "";
  const processes: ServerProcess[] = [];
  let workers: ServerProcess[] = [];
  let replicas: ServerProcess[] = [];
  const { dir } = demoDump();
  const creators = readdirSync(join(dir, "users"))
    .map((f) => f.replace(/\.json$/, ""))
    .slice(0, 2);

  before(async () => {
    [weaviate, postgres] = await Promise.all([startTestWeaviate(), startTestPostgres()]);
    eventsUrl = await postgres.database();
    fake = await startFakeTikLive(dir);
    const shared = {
      WEAVIATE_URL: weaviate.restUrl,
      WEAVIATE_GRPC_URL: `grpc://127.0.0.1:${weaviate.embedded!.grpcPort}`,
      EVENTS_DATABASE_URL: eventsUrl,
      RERANK_MODEL: "off",
      RECOMMEND_CACHE_SECONDS: "0",
      API_KEYS: `app:partner:${hashKey(KEY)}`,
    };
    const workerEnv = {
      ...shared,
      ROLE: "worker",
      TIKLIVE_BASE_URL: fake.url,
      TIKLIVE_API_KEY: fake.apiKey,
      INGEST_CREATORS: creators.join(","),
      INGEST_SCHEDULE_POSTS: "*/3 * * * * *",
      INGEST_SCHEDULE_COMMENTS: "off",
      COHORT_REFRESH_SCHEDULE: "*/2 * * * * *",
      EVENTS_RETENTION_SCHEDULE: "*/2 * * * * *",
    };
    // The catalogue is there before any process starts (an external Weaviate is never seeded).
    const encoder = await testEncoder();
    try {
      const dump = createDumpSource(dir);
      await createIngestRunner({ weaviate, encoder, log: silentLogger }).run(dump, dump.usernames(), {
        trigger: "test:roles",
      });
    } finally {
      await encoder.dispose();
    }
    const started = await Promise.all([
      startServerProcess(workerEnv),
      startServerProcess(workerEnv),
      startServerProcess({ ...shared, ROLE: "api" }),
      startServerProcess({ ...shared, ROLE: "api" }),
    ]);
    processes.push(...started);
    workers = started.slice(0, 2);
    replicas = started.slice(2);
  });
  after(async () => {
    for (const p of processes) p.child.kill("SIGTERM");
    await Promise.all(processes.map((p) => p.exited));
    await fake?.close();
    await weaviate?.dispose();
    await postgres?.dispose();
  });

  const gql = async (server: ServerProcess, query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await res.json()) as { data?: any; errors?: { message: string }[] };
    assert.equal(res.status, 200, JSON.stringify(body.errors));
    assert.equal(body.errors, undefined);
    return body.data;
  };
  const metricsOf = async (server: ServerProcess) =>
    (await fetch(server.url.replace(/graphql$/, "metrics"))).text();

  it("runs each scheduled firing on exactly one of two workers, and never on a replica", async () => {
    const userInfoBefore = fake.hits["/userinfo-by-username"] ?? 0;
    await sleep(13_000);
    const before = await Promise.all(workers.map(metricsOf));
    for (const w of workers) {
      w.child.kill("SIGTERM");
      assert.equal(await w.exited, 0, "a worker stops cleanly");
    }
    const db = new pg.Client({ connectionString: eventsUrl });
    await db.connect();
    const { rows } = await db
      .query<{ job: string; slot: string; worker: string; finished: boolean }>(
        "SELECT job, slot, worker, finished_at IS NOT NULL AS finished FROM job_runs",
      )
      .finally(() => db.end());
    const pids = new Set(workers.map((w) => `:${w.child.pid}`));
    const runsOf = (job: string) => rows.filter((r) => r.job === job);
    for (const job of ["ingest-posts", "cohort-refresh", "event-retention"]) {
      const claimed = runsOf(job);
      assert.ok(claimed.length >= 3, `${job} should have fired at least 3 times in 13 s: ${claimed.length}`);
      assert.equal(new Set(claimed.map((r) => r.slot)).size, claimed.length, `${job}: one claim per slot`);
      for (const r of claimed)
        assert.ok(
          [...pids].some((p) => r.worker.endsWith(p)),
          `${job} ran on ${r.worker}, not a worker`,
        );
      // Both workers fired on every slot: what one ran, the other lost (not-elected).
      // Both workers fired on (nearly) every slot; one ran it, the other lost the claim.
      const ran = before.map((m) => metric(m, "scheduled_jobs_total", { job, outcome: "ran" }));
      const lost = before.map(
        (m) =>
          metric(m, "scheduled_jobs_total", { job, outcome: "not-elected" }) +
          metric(m, "scheduled_jobs_total", { job, outcome: "overlap" }),
      );
      const finished = claimed.filter((r) => r.finished).length;
      const seen = `ran ${ran.join("+")}, lost or busy ${lost.join("+")}, ${finished} of ${claimed.length} claims finished`;
      assert.ok(Math.abs(ran[0]! + ran[1]! - finished) <= 1, `${job}: ${seen}`);
      for (const w of [0, 1])
        assert.ok(
          ran[w]! + lost[w]! >= claimed.length - 2,
          `${job}: worker ${w} fired on every slot: ${seen}`,
        );
    }
    // Each claimed posts firing made one ingestion run, and the fake TikLiveAPI saw each creator
    // once per firing: a firing run twice would show as more. The last may be cut by the stop.
    const posts = runsOf("ingest-posts").length;
    const scheduled = (await recentRuns(weaviate, 100)).filter((r) => r.trigger === "schedule:posts");
    assert.equal(scheduled.length, posts, "one IngestRun per claimed firing");
    const profileRequests = (fake.hits["/userinfo-by-username"] ?? 0) - userInfoBefore;
    assert.ok(
      profileRequests <= posts * creators.length && profileRequests >= (posts - 1) * creators.length,
      `${profileRequests} profile requests for ${posts} firings of ${creators.length} creators`,
    );
    for (const r of replicas) {
      const text = await metricsOf(r);
      assert.equal(metric(text, "scheduled_jobs_total", {}), 0, "a replica runs no scheduled job");
    }
  });

  it("serves the same pages from both replicas, and refuses to ingest on a replica", async () => {
    const query = operation("recommendations.graphql");
    for (const userId of ["demo-user-0", "demo-user-3", "demo-user-skater-pt"]) {
      const [a, b] = await Promise.all(replicas.map((r) => gql(r, query, { userId, first: 10 })));
      const ids = (d: any) => (d.recommendations.items ?? []).map((i: any) => i.video.videoId);
      assert.ok(ids(a).length > 0, `${userId} gets a page: ${JSON.stringify(a).slice(0, 300)}`);
      assert.deepEqual(ids(a), ids(b), `${userId}: both replicas serve the same page`);
    }
  });

  it("stores a retried recordComment once, with or without the app's id", async () => {
    const record = operation("first-party.graphql");
    const videoId = (await gql(replicas[0]!, operation("recommendations.graphql"), { userId: "demo-user-1" }))
      .recommendations.items[0].video.videoId as string;
    const countBefore = (await objectCounts(weaviate)).Comment!;
    const send = (replica: ServerProcess, input: Record<string, string>) =>
      fetch(replica.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ query: record, operationName: "RecordComment", variables: { input } }),
      }).then(async (res) => ((await res.json()) as any).data.recordComment);
    const withId = { userId: "retry-user", videoId, text: "first try", clientCommentId: "c-1" };
    const first = await send(replicas[0]!, withId);
    // The retry goes to the other replica, as a load balancer may send it, with an edited text.
    const retry = await send(replicas[1]!, { ...withId, text: "first try (resent)" });
    assert.equal(first.__typename, "CommentRecorded");
    assert.equal(first.duplicate, false);
    assert.equal(retry.duplicate, true);
    assert.equal(retry.commentId, first.commentId);
    const noId = { userId: "retry-user", videoId, text: "no id this time" };
    const [a, b] = [await send(replicas[1]!, noId), await send(replicas[0]!, noId)];
    assert.equal(a.duplicate, false);
    assert.equal(b.duplicate, true);
    assert.equal(b.commentId, a.commentId);
    assert.notEqual(a.commentId, first.commentId);
    assert.equal((await objectCounts(weaviate)).Comment, countBefore + 2, "two comments, not four");
    assert.equal(b.commentCount, 2);
  });
});
