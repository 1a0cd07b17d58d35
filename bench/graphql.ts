/**
 * npm run bench:graphql -- [--videos 5776] [--rate 50] [--seconds 20] [--concurrency 16]
 * End-to-end GraphQL latency. Starts a Weaviate, ingests the demo catalogue into it and pads it
 * with synthetic videos by the demo creators to the dev dataset's size (--videos); then runs the
 * server (`node dist/src/main.js`) against it. The server runs twice, with the cross-encoder on (random weights with
 * ms-marco-MiniLM-L-6-v2's architecture, so the cost is real) and off, and the bench sends
 * `recommendations` for the 61 demo users over HTTP: open-loop at a fixed rate (latency
 * p50/p95/p99 at that load), then closed-loop with N requests in flight (the throughput ceiling).
 * The result cache is off, so every request runs the whole pipeline.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { configOrFail } from "../src/platform/config/config-or-fail.js";
import { REPO_ROOT } from "../src/platform/paths.js";
import { randomCrossEncoder } from "../src/offline/training/random-cross-encoder.js";
import { startApiServer } from "./harness/api-server-process.js";
import {
  closedLoop,
  openLoop,
  postGraphQL,
  summarise,
  type ReadAnswer,
  type Sample,
  type Send,
} from "./harness/load-driver.js";
import { seededRandom } from "../src/platform/seeded-random.js";
import { openScratchWeaviate } from "../src/store/scratch-weaviate.js";
import { writeSyntheticVideos } from "./harness/synthetic-catalogue.js";
import { ingestDemoCatalogue } from "./harness/demo-ingest.js";
import { applySchema } from "../src/store/class-schema.js";

const { values: args } = parseArgs({
  options: {
    videos: { type: "string", default: "5776" },
    rate: { type: "string", default: "50" },
    seconds: { type: "string", default: "20" },
    concurrency: { type: "string", default: "16" },
  },
});
const videos = Number(args.videos);
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const concurrency = Number(args.concurrency);
const { config, log } = configOrFail("bench:graphql");
const crossEncoder = randomCrossEncoder(config.weaviate.cacheDir, "minilm", log);
const query = readFileSync(join(REPO_ROOT, "schema", "operations", "recommendations.graphql"), "utf8");
const users = ["demo-user-skater-pt", ...Array.from({ length: 60 }, (_, i) => `demo-user-${i}`)];

const read: ReadAnswer = (data) =>
  (data.recommendations?.items?.length ?? 0) > 0
    ? { reranked: data.recommendations.reranked ?? 0 }
    : { error: "no items" };
const send: (url: string) => Send = (url) => (i) =>
  postGraphQL(url, { query, variables: { userId: users[i % users.length], first: 10 } }, read);

const row = (label: string, samples: Sample[], perSecond: number) => {
  const s = summarise(samples);
  return `| ${label} | ${s.requests} | ${s.failed} | ${perSecond.toFixed(1)} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.meanReranked.toFixed(1)} |`;
};

const weaviate = await openScratchWeaviate("bench-graphql", log);
try {
  await applySchema(weaviate, log);
  await ingestDemoCatalogue(weaviate, config.models, log);
  const creators = (
    await weaviate.client.collections
      .get("Creator")
      .query.fetchObjects({ limit: 100, returnProperties: ["creatorId"] as never })
  ).objects.map((o) => String((o.properties as { creatorId: string }).creatorId));
  await writeSyntheticVideos(weaviate, videos, seededRandom(42), creators, (done) =>
    process.stderr.write(`\rbench: inserted ${done}/${videos} synthetic videos`),
  );
  process.stderr.write("\n");
  const results: string[] = [];
  for (const [label, model] of [
    ["on", crossEncoder],
    ["off", "off"],
  ] as const) {
    const server = await startApiServer(weaviate, { RERANK_MODEL: model });
    try {
      const first = await send(server.url)(0);
      if (!first.ok) throw new Error(`the server does not answer the benchmark query: ${first.error}`);
      for (let i = 0; i < 30; i++) await send(server.url)(i); // warm the JIT, the sessions and Weaviate's caches
      const open = await openLoop(send(server.url), rate, seconds);
      results.push(row(`${label} | open loop ${rate}/s`, open, open.length / seconds));
      const closed = await closedLoop(send(server.url), concurrency, seconds);
      results.push(row(`${label} | closed loop, ${concurrency} in flight`, closed.samples, closed.perSecond));
    } finally {
      await server.stop();
    }
  }
  const total = (await weaviate.client.collections.get("Video").aggregate.overAll()).totalCount;
  console.log(
    `\nbench (graphql)  recommendations(first: 10) over HTTP for the 61 demo users; ${total} videos (demo catalogue + ${videos} synthetic); result cache off; rerank budget ${config.rerank.budgetMs} ms, ${config.rerank.threads} thread(s); ${seconds} s per phase`,
  );
  console.log("| rerank | load | requests | failed | req/s | p50 ms | p95 ms | p99 ms | mean reranked |");
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const r of results) console.log(r);
} finally {
  await weaviate.close();
}
