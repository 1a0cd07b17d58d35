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
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../config/config.js";
import { REPO_ROOT } from "../config/paths.js";
import { createLogger } from "../logger.js";
import { randomCrossEncoder } from "../rerank/random-cross-encoder.js";
import type { WeaviateHandle } from "../store/weaviate-connection.js";
import { seededRandom } from "./seeded-random.js";
import { openScratchWeaviate } from "./scratch-weaviate.js";
import { writeSyntheticVideos } from "./synthetic-catalogue.js";
import { createEncoder } from "../embed/encoder.js";
import { writeDemoCatalogue } from "../ingest/demo-catalogue.js";
import { createDumpSource } from "../ingest/dump-source.js";
import { createIngestRunner } from "../ingest/ingest-runner.js";
import { applySchema } from "../store/class-schema.js";

const { values: args } = parseArgs({ options: { videos: { type: "string", default: "5776" }, rate: { type: "string", default: "50" }, seconds: { type: "string", default: "20" }, concurrency: { type: "string", default: "16" } } });
const videos = Number(args.videos);
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const concurrency = Number(args.concurrency);
const config = loadConfig();
const crossEncoder = randomCrossEncoder(config.weaviate.cacheDir, "minilm", createLogger("warn"));
const query = readFileSync(join(REPO_ROOT, "schema", "operations", "recommendations.graphql"), "utf8");
const users = ["demo-user-skater-pt", ...Array.from({ length: 60 }, (_, i) => `demo-user-${i}`)];

interface Sample {
  ms: number;
  ok: boolean;
  reranked: number;
}

async function startServer(weaviate: WeaviateHandle, rerankModel: string): Promise<{ url: string; stop(): Promise<void> }> {
  const { host, grpcPort } = weaviate.embedded!;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", LOG_LEVEL: "info", WEAVIATE_URL: weaviate.restUrl, WEAVIATE_GRPC_URL: `http://${host}:${grpcPort}`, RECOMMEND_CACHE_SECONDS: "0", RERANK_MODEL: rerankModel, DEMO_CATALOGUE: "auto", API_KEYS: "", COHORT_REFRESH_SCHEDULE: "off" };
  delete env.WEAVIATE_API_KEY;
  const child = spawn(process.execPath, [join(REPO_ROOT, "dist", "src", "main.js")], { env, stdio: ["ignore", "ignore", "pipe"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let tail = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
      const m = /"msg":"graphql server listening".*?"url":"([^"]+)"/.exec(chunk.toString());
      if (m) resolve(m[1]!);
    });
    void exited.then(() => reject(new Error(`server exited during start:\n${tail}`)));
  });
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

async function request(url: string, i: number): Promise<Sample> {
  const started = performance.now();
  try {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables: { userId: users[i % users.length], first: 10 } }) });
    const body = (await res.json()) as { data?: { recommendations?: { items?: unknown[]; reranked?: number } }; errors?: unknown[] };
    const ok = res.ok && !body.errors && (body.data?.recommendations?.items?.length ?? 0) > 0;
    return { ms: performance.now() - started, ok, reranked: body.data?.recommendations?.reranked ?? 0 };
  } catch {
    return { ms: performance.now() - started, ok: false, reranked: 0 };
  }
}

/** Open loop: a request every 1/rate s whatever the answers do, so queueing shows in the latency. */
async function openLoop(url: string): Promise<Sample[]> {
  const pending: Promise<Sample>[] = [];
  const start = performance.now();
  for (let i = 0; i < rate * seconds; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(request(url, i));
  }
  return Promise.all(pending);
}

/** Closed loop: `concurrency` clients, each sending its next request when the last answers. */
async function closedLoop(url: string): Promise<{ samples: Sample[]; perSecond: number }> {
  const samples: Sample[] = [];
  const end = performance.now() + seconds * 1000;
  let i = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) samples.push(await request(url, i++));
  }));
  return { samples, perSecond: samples.length / ((performance.now() - started) / 1000) };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const row = (label: string, samples: Sample[], perSecond: number) => {
  const ms = samples.map((s) => s.ms);
  const failed = samples.filter((s) => !s.ok).length;
  const reranked = samples.reduce((n, s) => n + s.reranked, 0) / samples.length;
  return `| ${label} | ${samples.length} | ${failed} | ${perSecond.toFixed(1)} | ${pct(ms, 50).toFixed(1)} | ${pct(ms, 95).toFixed(1)} | ${pct(ms, 99).toFixed(1)} | ${reranked.toFixed(1)} |`;
};

const log = createLogger("warn");
const weaviate = await openScratchWeaviate("bench-graphql", log);
try {
  await applySchema(weaviate, log);
  const encoder = await createEncoder({ modelsDir: config.models.dir, ...config.models });
  const demo = mkdtempSync(join(tmpdir(), "bench-demo-"));
  try {
    writeDemoCatalogue(demo);
    const dump = createDumpSource(demo);
    await createIngestRunner({ weaviate, encoder, log }).run(dump, dump.usernames(), { trigger: "bench" });
  } finally {
    rmSync(demo, { recursive: true, force: true });
    await encoder.dispose();
  }
  const creators = (await weaviate.client.collections.get("Creator").query.fetchObjects({ limit: 100, returnProperties: ["creatorId"] as never })).objects.map((o) => String((o.properties as { creatorId: string }).creatorId));
  await writeSyntheticVideos(weaviate, videos, seededRandom(42), creators, (done) => process.stderr.write(`\rbench: inserted ${done}/${videos} synthetic videos`));
  process.stderr.write("\n");
  const results: string[] = [];
  for (const [label, model] of [["on", crossEncoder], ["off", "off"]] as const) {
    const server = await startServer(weaviate, model);
    try {
      const first = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables: { userId: users[0], first: 10 } }) });
      const body = (await first.json()) as { errors?: unknown };
      if (!first.ok || body.errors) throw new Error(`the server does not answer the benchmark query: ${first.status} ${JSON.stringify(body).slice(0, 500)}`);
      for (let i = 0; i < 30; i++) await request(server.url, i); // warm the JIT, the sessions and Weaviate's caches
      const open = await openLoop(server.url);
      results.push(row(`${label} | open loop ${rate}/s`, open, open.length / seconds));
      const closed = await closedLoop(server.url);
      results.push(row(`${label} | closed loop, ${concurrency} in flight`, closed.samples, closed.perSecond));
    } finally {
      await server.stop();
    }
  }
  const total = (await weaviate.client.collections.get("Video").aggregate.overAll()).totalCount;
  console.log(`\nbench (graphql)  recommendations(first: 10) over HTTP for the 61 demo users; ${total} videos (demo catalogue + ${videos} synthetic); result cache off; rerank budget ${config.rerank.budgetMs} ms, ${config.rerank.threads} thread(s); ${seconds} s per phase`);
  console.log("| rerank | load | requests | failed | req/s | p50 ms | p95 ms | p99 ms | mean reranked |");
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const r of results) console.log(r);
} finally {
  await weaviate.close();
}
