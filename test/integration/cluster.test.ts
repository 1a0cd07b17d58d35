import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import type { Encoder } from "../../src/embed/encoder.js";
import { createDumpSource } from "../../src/ingest/sources/dump-source.js";
import { createIngestRunner } from "../../src/ingest/ingest-runner.js";
import { silentLogger } from "../../src/platform/logger.js";
import { objectId } from "../../src/store/object-ids.js";
import { writeObjects } from "../../src/store/object-writes.js";
import { applySchema, fetchClass, loadClassDefinitions } from "../../src/store/class-schema.js";
import { everyObject } from "../../src/store/collections/every-object.js";
import type { WeaviateHandle } from "../../src/store/weaviate-handle.js";
import { missingOnReplica, raftLeader, startTestCluster, type TestCluster } from "../helpers/cluster.js";
import { demoDump } from "../helpers/demo-dump.js";
import { testEncoder } from "../helpers/encoder.js";
import { operation } from "../helpers/operations.js";
import { startServerProcess, type ServerProcess } from "../helpers/server-process.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CLASSES = loadClassDefinitions()
  .map((d) => d.class)
  .sort();

// Async replication checks replicas every ASYNC_REPLICATION_FREQUENCY (default 30 s, minimum 5 s)
// and leaves objects younger than ASYNC_REPLICATION_PROPAGATION_DELAY (default 30 s) alone; the
// test shortens both so a repair fits in its time, the mechanism is the same.
const NODE_ENV = {
  ASYNC_REPLICATION_FREQUENCY: "5s",
  ASYNC_REPLICATION_FREQUENCY_WHILE_PROPAGATING: "1s",
  ASYNC_REPLICATION_PROPAGATION_DELAY: "2s",
};

// Three real weaviate-server processes, the real ingest pipeline and encoder, the API as its own
// process over HTTP; one node is SIGKILLed while queries and writes stream.
describe("3-node Weaviate cluster, replication factor 3", () => {
  let cluster: TestCluster;
  let store: WeaviateHandle;
  let server: ServerProcess | undefined;
  let dumpDir = "";
  /** The query and write streams run while this holds; after() ends them even when a check failed. */
  let streaming = false;
  let demo: { creators: number; videos: number; comments: number; commenters: number };

  before(async () => {
    cluster = await startTestCluster(NODE_ENV);
    store = await cluster.open(0, { read: "QUORUM", write: "QUORUM" });
    await applySchema(store, silentLogger);
    ({ dir: dumpDir, summary: demo } = demoDump());
    let encoder: Encoder | undefined;
    try {
      encoder = await testEncoder();
      const dump = createDumpSource(dumpDir);
      const outcome = await createIngestRunner({ weaviate: store, encoder, log: silentLogger }).run(
        dump,
        dump.usernames(),
        { trigger: "test:cluster" },
      );
      assert.equal(outcome.counts.videos, demo.videos);
    } finally {
      await encoder?.dispose();
    }
  });
  after(async () => {
    streaming = false;
    server?.child.kill("SIGTERM");
    await server?.exited;
    await store?.close();
    await cluster?.dispose();
    if (dumpDir) rmSync(dumpDir, { recursive: true, force: true });
  });

  it("creates every class with 3 replicas, and reports a class with another factor without altering it", async () => {
    for (const name of CLASSES) {
      const live = await fetchClass(store, name);
      assert.equal((live?.replicationConfig as { factor: number }).factor, 3, name);
      assert.equal((live?.replicationConfig as { asyncEnabled: boolean }).asyncEnabled, true, name);
    }
    const single = await cluster.open(0, { read: "ONE", write: "ONE" });
    try {
      await assert.rejects(
        applySchema({ ...single, replication: { ...single.replication, factor: 1 } }, silentLogger),
        /Video: replication factor is 3, expected 1/,
      );
    } finally {
      await single.close();
    }
    assert.equal(((await fetchClass(store, "Video"))?.replicationConfig as { factor: number }).factor, 3);
  });

  it("answers every query at ONE when the API's own node dies, stores every write once, and every replica converges", async () => {
    // The API knows all three nodes and talks to the first it is given: the Raft leader, which
    // is the node killed, so the kill forces both a failover in the API and an election.
    const leader = await raftLeader(cluster.nodes[0]!);
    assert.ok(leader, "the cluster has a Raft leader");
    const victimIndex = cluster.nodes.findIndex((n) => n.name === leader);
    /** A node that stays up: the checks below ask it what the cluster holds. */
    const API_NODE = victimIndex === 0 ? 1 : 0;
    const order = [victimIndex, ...[0, 1, 2].filter((i) => i !== victimIndex)].map((i) => cluster.nodes[i]!);
    server = await startServerProcess({
      ...cluster.envFor(API_NODE, { read: "ONE", write: "QUORUM" }),
      WEAVIATE_URL: order.map((n) => n.httpUrl).join(","),
      WEAVIATE_GRPC_URL: order.map((n) => `grpc://${n.host}:${n.grpcPort}`).join(","),
      RATE_LIMIT_ANONYMOUS: "off",
      DEMO_CATALOGUE: "off",
      RECOMMEND_CACHE_SECONDS: "0",
      RERANK_MODEL: "off",
      COHORT_REFRESH_SCHEDULE: "off",
      API_KEYS: "",
    });
    const gql = async (query: string, variables: Record<string, unknown>, operationName?: string) => {
      const res = await fetch(server!.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query, variables, operationName }),
        signal: AbortSignal.timeout(30_000),
      });
      const body = (await res.json()) as { data?: any; errors?: { message: string }[] };
      if (res.status !== 200 || body.errors)
        throw new Error(`HTTP ${res.status}: ${body.errors?.map((e) => e.message).join("; ")}`);
      return body.data;
    };
    const videoIds = (
      await store.client.collections
        .get("Video")
        .query.fetchObjects({ limit: 200, returnProperties: ["videoId"] as never })
    ).objects.map((o) => String((o.properties as { videoId: string }).videoId));
    assert.equal(videoIds.length, demo.videos);
    const users = ["demo-user-skater-pt", ...Array.from({ length: 10 }, (_, i) => `demo-user-${i}`)];
    const recommendations = operation("recommendations.graphql");
    const similar = operation("similar.graphql");

    streaming = true;
    const queries = {
      sent: 0,
      failed: 0,
      maxMs: 0,
      errors: [] as string[],
      afterKillMaxMs: 0,
      slow: [] as string[],
    };
    const queryLoop = async (worker: number) => {
      for (let i = worker; streaming; i += 2) {
        queries.sent++;
        const t0 = Date.now();
        try {
          if (i % 3 === 2) {
            const data = await gql(
              similar,
              { videoId: videoIds[i % videoIds.length], first: 10 },
              "SimilarVideos",
            );
            if (
              data.similarVideos.__typename !== "SimilarVideosPage" ||
              data.similarVideos.items.length === 0
            )
              throw new Error(`similarVideos: ${JSON.stringify(data).slice(0, 200)}`);
          } else {
            const data = await gql(recommendations, { userId: users[i % users.length], first: 10 });
            if (
              data.recommendations.__typename !== "RecommendationPage" ||
              data.recommendations.items.length === 0
            )
              throw new Error(`recommendations: ${JSON.stringify(data).slice(0, 200)}`);
          }
        } catch (err) {
          queries.failed++;
          queries.errors.push(`${new Date().toISOString()} ${(err as Error).message}`);
        }
        queries.maxMs = Math.max(queries.maxMs, Date.now() - t0);
        if (Date.now() - t0 > 1_000) queries.slow.push(`${t0 - killedAtRef.at}:${Date.now() - t0}`);
        // The failover's cost: the slowest query in flight at the kill or sent in the 5 s after it.
        if (Date.now() > killedAtRef.at && t0 < killedAtRef.at + 5_000)
          queries.afterKillMaxMs = Math.max(queries.afterKillMaxMs, Date.now() - t0);
      }
    };

    const record = `mutation RecordComment($input: CommentInput!) { recordComment(input: $input) { __typename ... on CommentRecorded { commentId } } }`;
    const writes = {
      attempted: 0,
      refused: 0,
      retriedToSuccess: 0,
      errors: [] as string[],
      commentIds: [] as string[],
    };
    const acknowledged: string[] = [];
    const pending: { input: Record<string, string>; failures: number }[] = [];
    const writeTimes: string[] = [];
    const tryWrite = async (w: { input: Record<string, string>; failures: number }) => {
      writes.attempted++;
      const t0 = Date.now();
      try {
        const data = await gql(record, { input: w.input });
        assert.equal(data.recordComment.__typename, "CommentRecorded");
        writes.commentIds.push(data.recordComment.commentId);
        acknowledged.push(w.input.userId!);
        if (w.failures > 0) writes.retriedToSuccess++;
        writeTimes.push(`${t0 - killedAtRef.at}:${Date.now() - t0}`);
        return true;
      } catch (err) {
        // A refused write must say so: an error in the response, never a silent success.
        assert.ok((err as Error).message.length > 0);
        writes.refused++;
        writes.errors.push(`${new Date().toISOString()} ${(err as Error).message}`);
        w.failures++;
        return false;
      }
    };
    const writeLoop = async () => {
      for (let k = 0; streaming; k++) {
        const retry = pending.shift();
        if (retry && !(await tryWrite(retry))) pending.push(retry);
        const w = {
          input: {
            userId: `cluster-writer-${k % 3}`,
            videoId: videoIds[(k * 7) % videoIds.length]!,
            text: `cluster write ${k}: que manobra incrível, skate no parque`,
            clientCommentId: `cluster-write-${k}`,
          },
          failures: 0,
        };
        if (!(await tryWrite(w))) pending.push(w);
        await sleep(150);
      }
    };

    const killedAtRef = { at: Date.now() + 4_000 };
    const streams = [queryLoop(0), queryLoop(1), writeLoop()];
    await sleep(4_000);
    const victim = cluster.nodes[victimIndex]!;
    const killedAt = Date.now();
    console.log(`# cluster: killed ${victim.name} at ${new Date(killedAt).toISOString()}`);
    killedAtRef.at = killedAt;
    const acknowledgedBeforeKill = writes.commentIds.length;
    process.kill(victim.pid, "SIGKILL");
    await victim.exited;
    let electionMs: number | undefined;
    let newLeader: string | undefined;
    while (Date.now() - killedAt < 30_000) {
      newLeader = await raftLeader(cluster.nodes[API_NODE]!);
      if (newLeader && newLeader !== victim.name) {
        electionMs = Date.now() - killedAt;
        break;
      }
      await sleep(100);
    }
    assert.ok(electionMs !== undefined, "a new leader was elected within 30 s");
    // What each level gets with a replica down, reported: on v1.39.0 even ALL answered at once
    // (reads and writes), so ALL does not guard against a lost replica here.
    const probe = (tag: string) => ({
      id: objectId("Comment", `cluster-probe-${tag}`),
      properties: {
        commentId: `cluster-probe-${tag}`,
        text: "probe",
        authorId: "cluster-probe",
        syncHash: tag,
      },
    });
    const strict = await cluster.open(API_NODE, { read: "ALL", write: "ALL" });
    const relaxed = await cluster.open(API_NODE, { read: "ONE", write: "QUORUM" });
    const levels: string[] = [];
    let outageWrites: string[] = [];
    try {
      const outcome = async (what: string, work: () => Promise<unknown>) => {
        const t0 = Date.now();
        try {
          const result = await work();
          levels.push(`${what} ok${result === false ? " (refused)" : ""} ${Date.now() - t0} ms`);
        } catch (err) {
          levels.push(`${what} error ${Date.now() - t0} ms "${(err as Error).message.slice(0, 120)}"`);
        }
      };
      const videoProbe = objectId("Video", videoIds[0]!);
      assert.ok(
        await relaxed.client.collections.get("Video").query.fetchObjectById(videoProbe),
        "read at ONE with a replica down",
      );
      await outcome("read ALL", () =>
        strict.client.collections.get("Video").query.fetchObjectById(videoProbe),
      );
      await outcome(
        "REST batch ALL",
        async () => (await writeObjects(strict, "Comment", [probe("all-rest")])).failed.length === 0,
      );
      await outcome("insert ALL", () =>
        strict.client.collections
          .get("Comment")
          .data.insert({ id: probe("all-grpc").id, properties: probe("all-grpc").properties }),
      );
      // Writes at QUORUM the down replica misses: async replication must bring them to it.
      const batch = Array.from({ length: 20 }, (_, i) => probe(`quorum-${i}`));
      const written = await writeObjects(relaxed, "Comment", batch);
      assert.deepEqual(written.failed, [], "a REST batch write at QUORUM with one replica down succeeds");
      outageWrites = batch.map((o) => o.id);
    } finally {
      await strict.close();
      await relaxed.close();
    }
    console.log(`# cluster with ${victim.name} down: ${levels.join("; ")}`);
    await sleep(Math.max(0, 10_000 - (Date.now() - killedAt)));
    const restartAt = Date.now();
    const writtenWhileDown = writes.commentIds
      .slice(acknowledgedBeforeKill)
      .map((id) => objectId("Comment", id));
    await cluster.restart(victimIndex);
    const restartMs = Date.now() - restartAt;
    const downMs = Date.now() - killedAt;
    // What the returning replica lacks: the comments acknowledged (by the other two) while it was down.
    const gapAtRestart = (
      await missingOnReplica(
        cluster.nodes[API_NODE]!.httpUrl,
        "Comment",
        [...writtenWhileDown, ...outageWrites],
        victim.name,
      )
    ).length;
    await sleep(6_000);
    streaming = false;
    await Promise.all(streams);
    const drainDeadline = Date.now() + 60_000;
    while (pending.length > 0 && Date.now() < drainDeadline) {
      const w = pending.shift()!;
      if (!(await tryWrite(w))) {
        pending.push(w);
        await sleep(500);
      }
    }
    assert.equal(
      pending.length,
      0,
      `writes still refused after the node returned:\n${writes.errors.slice(-5).join("\n")}`,
    );
    assert.equal(
      queries.failed,
      0,
      `queries failed at consistency ONE:\n${queries.errors.slice(0, 10).join("\n")}`,
    );
    assert.ok(writes.commentIds.length > 5, `only ${writes.commentIds.length} writes succeeded`);

    // Every object any replica holds, found through each node at ONE (each prefers its own replica).
    const ids = new Map<string, Set<string>>(CLASSES.map((c) => [c, new Set<string>()]));
    for (let i = 0; i < cluster.nodes.length; i++) {
      const h = await cluster.open(i, { read: "ONE", write: "ONE" });
      try {
        for (const c of CLASSES) {
          const coll = h.client.collections.get(c);
          for await (const o of everyObject((p) => coll.query.fetchObjects({ ...p, returnProperties: [] })))
            ids.get(c)!.add(o.uuid);
        }
      } finally {
        await h.close();
      }
    }
    const lost = writes.commentIds.filter((id) => !ids.get("Comment")!.has(objectId("Comment", id)));
    assert.deepEqual(lost, [], "acknowledged comments missing from every replica");
    assert.ok(
      ids.get("Comment")!.size >= demo.comments + writes.commentIds.length,
      `Comment: ${ids.get("Comment")!.size} objects, expected at least ${demo.comments} + ${writes.commentIds.length}`,
    );

    // Then wait until each of them is on every replica, asked of each replica alone.
    const convergeAt = Date.now();
    let missing = new Map<string, string[]>();
    for (const n of cluster.nodes) for (const c of CLASSES) missing.set(`${n.name}/${c}`, [...ids.get(c)!]);
    for (let round = 0; ; round++) {
      const next = new Map<string, string[]>();
      for (const [key, list] of missing) {
        const [nodeName, c] = key.split("/") as [string, string];
        const still =
          list.length > 0
            ? await missingOnReplica(cluster.nodes[API_NODE]!.httpUrl, c, list, nodeName, 16)
            : [];
        if (still.length > 0) next.set(key, still);
      }
      missing = next;
      if (missing.size === 0 || Date.now() - convergeAt > 120_000) break;
      await sleep(2_000);
    }
    const convergeMs = Date.now() - convergeAt;
    assert.equal(
      missing.size,
      0,
      `replicas still lack objects after 120 s: ${[...missing].map(([k, l]) => `${k}: ${l.length}`).join(", ")}`,
    );

    // Per-node counts, each node asked at ONE for what it holds.
    const perNode: Record<string, Record<string, number>> = {};
    for (let i = 0; i < cluster.nodes.length; i++) {
      const h = await cluster.open(i, { read: "ONE", write: "ONE" });
      try {
        perNode[cluster.nodes[i]!.name] = Object.fromEntries(
          await Promise.all(
            CLASSES.map(
              async (c) => [c, (await h.client.collections.get(c).aggregate.overAll()).totalCount] as const,
            ),
          ),
        );
      } finally {
        await h.close();
      }
      for (const c of CLASSES)
        assert.equal(perNode[cluster.nodes[i]!.name]![c], ids.get(c)!.size, `${cluster.nodes[i]!.name} ${c}`);
    }

    // Updates converge too: each writer's interest object counts all their comments on every replica.
    const perWriter = new Map<string, number>();
    for (const w of acknowledged) perWriter.set(w, (perWriter.get(w) ?? 0) + 1);
    for (const [userId, count] of perWriter) {
      const seen: number[] = [];
      for (const n of cluster.nodes) {
        const res = await fetch(
          `${cluster.nodes[API_NODE]!.httpUrl}/v1/objects/UserInterest/${objectId("UserInterest", userId)}?node_name=${n.name}`,
        );
        assert.equal(res.status, 200, `${userId} on ${n.name}`);
        seen.push(((await res.json()) as { properties: { commentCount: number } }).properties.commentCount);
      }
      assert.ok(
        seen.every((c) => c === seen[0]),
        `${userId}'s comment count differs between replicas: ${seen}`,
      );
      // A refused write may have stored its comment before failing; its retry (same client id)
      // is answered as a duplicate, so every acknowledged comment counts once.
      assert.equal(seen[0], count, `${userId}: ${seen[0]} comments stored for ${count} acknowledged`);
    }

    const counts = Object.entries(perNode)
      .map(([n, byClass]) => `${n}{${CLASSES.map((c) => `${c}:${byClass[c]}`).join(",")}}`)
      .join(" ");
    console.log(
      `# cluster: queries sent ${queries.sent} failed ${queries.failed}; writes attempted ${writes.attempted} succeeded ${writes.commentIds.length} ` +
        `refused ${writes.refused} retried-to-success ${writes.retriedToSuccess}; API first on ${victim.name}, the leader, killed, ` +
        `new leader ${newLeader} after ${electionMs} ms, down ${(downMs / 1000).toFixed(1)} s, restart-to-ready ${(restartMs / 1000).toFixed(1)} s; ` +
        `comments written while down ${writtenWhileDown.length} via the API + ${outageWrites.length} via the store, missing on ${victim.name} at restart ${gapAtRestart}, all replicas complete ${(convergeMs / 1000).toFixed(1)} s after the streams; ` +
        `query latency max ${queries.maxMs} ms, max ${queries.afterKillMaxMs} ms for queries in flight at the kill or sent within 5 s of it; per node ${counts}`,
    );
    for (const e of writes.errors.slice(0, 5)) console.log(`# cluster write error: ${e}`);
    console.log(`# cluster queries over 1 s (start ms from kill:duration ms): ${queries.slow.join(" ")}`);
    for (const line of server.logs.filter((l) => /did not answer/i.test(l)).slice(0, 10))
      console.log(`# cluster API log: ${line.slice(0, 400)}`);
    console.log(`# cluster writes (start ms from kill:duration ms): ${writeTimes.join(" ")}`);
  });
});
