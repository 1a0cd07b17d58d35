import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { after, describe, it } from "node:test";
import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { hashKey } from "../../src/platform/config/api-keys.js";
import { loadConfig } from "../../src/platform/config/config.js";
import { L3_NAME, l3Layout } from "../../src/embed/paraphrase-l3-files.js";
import { startServerProcess, type ServerProcess } from "../helpers/server-process.js";

const ADMIN = "admin-key-for-generation-tests";
const skip =
  !existsSync(l3Layout(loadConfig().models.dir).onnx) && "needs the L3 encoder (npm run provision)";
const FEED = `query($u: ID!) { recommendations(userId: $u, first: 10, rerank: false) { __typename ... on RecommendationPage { encoderGeneration items { video { videoId } } } } }`;
const SIMILAR = `query($v: ID!) { similarVideos(videoId: $v, first: 10) { __typename ... on SimilarVideosPage { encoderGeneration items { video { videoId } } } } }`;
const GENERATIONS = `{ encoderGenerations { serving generations { id encoder state buildSeconds error progress { className copied done } } } }`;

async function graphql(
  api: ServerProcess,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<any> {
  const res = await fetch(api.url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": ADMIN },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: unknown; errors?: unknown };
  if (!res.ok || body.errors) throw new Error(`HTTP ${res.status}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

// The service itself, as `npm start` runs it: a demo store built with MiniLM-L6, restarted with
// EMBED_MODEL=paraphrase-MiniLM-L3-v2, rebuilds while it serves HTTP traffic, with 0 failed queries.
describe("encoder generations over HTTP: a restart with another EMBED_MODEL", { skip }, () => {
  let api: ServerProcess | undefined;
  const env = {
    EVENTS_URL: "off",
    RERANK_MODEL: "off",
    INGEST_SCHEDULE_POSTS: "off",
    INGEST_SCHEDULE_COMMENTS: "off",
    COHORT_REFRESH_SCHEDULE: "off",
    API_KEYS: `ops:admin:${hashKey(ADMIN)}`,
  };
  after(async () => {
    api?.child.kill("SIGKILL");
    if (api) rmSync(dirname(api.dataDir), { recursive: true, force: true });
  });

  it("serves generation 1 with MiniLM-L6, rebuilds into L3 under load, then serves generation 2", async () => {
    api = await startServerProcess({ ...env, EMBED_MODEL: "auto" }); // seeds the demo catalogue
    const users = ["demo-user-0", "demo-user-1", "demo-user-2", "demo-user-skater-pt"];
    const first = await graphql(api, FEED, { u: users[0] });
    const videos: string[] = first.recommendations.items.map((i: any) => i.video.videoId);
    assert.ok(videos.length > 0);
    api.child.kill("SIGTERM");
    await api.exited;

    api = await startServerProcess({ ...env, EMBED_MODEL: L3_NAME }, { dataDir: api.dataDir });
    const failures: string[] = [];
    const seen = new Set<number>();
    let done = 0;
    let stop = false;
    const client = async (c: number) => {
      let last = 1;
      for (let i = c; !stop; i++) {
        try {
          const data =
            i % 2 === 0
              ? (await graphql(api!, FEED, { u: users[i % users.length] })).recommendations
              : (await graphql(api!, SIMILAR, { v: videos[i % videos.length] })).similarVideos;
          if (!/Page$/.test(data.__typename)) failures.push(data.__typename);
          // Each answer names its one generation; a client never goes back to 1 once 2 served it.
          else if (data.encoderGeneration < last || ![1, 2].includes(data.encoderGeneration))
            failures.push(`generation ${data.encoderGeneration} after ${last}`);
          else seen.add((last = data.encoderGeneration));
          done++;
        } catch (err) {
          failures.push(String(err));
        }
      }
    };
    const clients = [0, 1, 2].map(client);
    const deadline = Date.now() + 240_000;
    let status: any;
    for (;;) {
      status = (await graphql(api, GENERATIONS)).encoderGenerations;
      const g2 = status.generations.find((g: any) => g.id === 2);
      assert.ok(g2, "the restart with another EMBED_MODEL started generation 2");
      assert.equal(g2.error, null);
      if (status.serving === 2) break;
      assert.ok(Date.now() < deadline, `no switch within 240 s: ${JSON.stringify(g2.progress)}`);
      await sleep(500);
    }
    await sleep(1_000);
    stop = true;
    await Promise.all(clients);
    const g2 = status.generations.find((g: any) => g.id === 2);
    console.log(
      `restart-triggered rebuild over HTTP: buildSeconds ${g2.buildSeconds}, ${done} queries, ${failures.length} failed`,
    );
    assert.deepEqual(failures, []);
    assert.ok(done > 20, `only ${done} queries ran during the rebuild`);
    assert.deepEqual(
      status.generations.map((g: any) => [g.id, g.state]),
      [
        [1, "retired"],
        [2, "serving"],
      ],
    );
    assert.ok(api.logs.some((l) => l.includes("encoder generation switched")));
    const after = await graphql(api, FEED, { u: users[0] });
    assert.equal(after.recommendations.__typename, "RecommendationPage");
    assert.equal(after.recommendations.encoderGeneration, 2);
    assert.ok(seen.has(1), "some answers came from generation 1 while 2 was building");
  });
});
