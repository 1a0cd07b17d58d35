/**
 * npm run stack -- [--dir .data/stack] [--replicas 2] [--workers 1] [--port 4000] [--dataset demo|<dump dir>]
 * A production-shaped stack on loopback, started by one command: a Weaviate cluster of three
 * nodes (every class replicated three times, reads at ONE, writes at QUORUM), one PostgreSQL
 * event store that every process shares, `--replicas` API processes (ROLE=api) and `--workers`
 * workers (ROLE=worker, which own the scheduled jobs), each `node dist/src/main.js` of this build
 * on its own port, each API replica preferring a different Weaviate node. The catalogue is
 * ingested once, before anything serves. Prints the URLs, the bench:load command that drives the
 * replicas, and stops everything on Ctrl-C. Logs: <dir>/logs/ (services, ingest), <dir>/weaviate/
 * (nodes), <dir>/postgres.log. Settings in the environment reach every process (RERANK_MODEL,
 * RECOMMEND_CACHE_SECONDS, ...); the stack sets only the wiring.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { hashKey } from "../platform/config/api-keys.js";
import { configOrFail } from "../platform/config/config-or-fail.js";
import { isFree } from "../platform/free-port.js";
import { REPO_ROOT } from "../platform/paths.js";
import { startEmbeddedPostgres } from "../events/server/embedded-postgres.js";
import { resolveWeaviateBinary } from "../store/server/weaviate-binary.js";
import { startWeaviateCluster } from "../store/server/weaviate-cluster.js";
import type { NodePorts } from "../store/server/weaviate-node.js";
import { ingestOnce } from "./stack-ingest.js";
import { listening, MAIN_JS, runLogged, type StackProcess } from "./stack-process.js";

const NODES = 3;
const say = (line: string) => console.log(line);
function fail(message: string): never {
  console.error(`stack: ${message}`);
  process.exit(2);
}

let args: { dir: string; replicas: string; workers: string; port: string; dataset: string };
try {
  args = parseArgs({
    options: {
      dir: { type: "string", default: ".data/stack" },
      replicas: { type: "string", default: "2" },
      workers: { type: "string", default: "1" },
      port: { type: "string", default: "4000" },
      dataset: { type: "string", default: "demo" },
    },
  }).values as typeof args;
} catch (err) {
  fail((err as Error).message);
}
const count = (name: string, value: string, min: number) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > 16) fail(`--${name} must be a whole number from ${min} to 16`);
  return n;
};
const replicas = count("replicas", args.replicas, 1);
const workers = count("workers", args.workers, 0);
const basePort = Number(args.port);
if (!Number.isInteger(basePort) || basePort < 1024 || basePort + replicas + workers > 65535)
  fail(`--port must be a port from 1024 leaving room for ${replicas + workers} services`);
const { config, log } = configOrFail("stack", { fail });
const dir = isAbsolute(args.dir) ? args.dir : resolve(REPO_ROOT, args.dir);
const logDir = join(dir, "logs");
mkdirSync(logDir, { recursive: true });
if (!existsSync(MAIN_JS)) fail(`${MAIN_JS} is missing: build first (npm run build)`);

// Ports: the services' are fixed so the printed URLs stay the same from run to run; the nodes'
// are kept in ports.json, as `npm run cluster` does, so a restart finds its cluster's data again.
const services = [
  ...Array.from({ length: workers }, (_, i) => ({
    name: `worker-${i + 1}`,
    role: "worker",
    port: basePort + replicas + i,
  })),
  ...Array.from({ length: replicas }, (_, i) => ({ name: `api-${i + 1}`, role: "api", port: basePort + i })),
];
for (const s of services)
  if (!(await isFree(s.port)))
    fail(`port ${s.port} (${s.name}) is in use: stop what holds it, or pass --port`);
const portsFile = join(dir, "weaviate", "ports.json");
const nodePorts = existsSync(portsFile)
  ? (JSON.parse(readFileSync(portsFile, "utf8")) as NodePorts[])
  : undefined;
for (const p of nodePorts?.flatMap((n) => [n.http, n.grpc, n.gossip, n.data, n.raft, n.raft + 1]) ?? [])
  if (!(await isFree(p))) fail(`port ${p} (from ${portsFile}) is in use: is this stack already running?`);

// One admin key for the whole stack, kept in the folder (mode 600) unless API_KEYS is given.
const keyFile = join(dir, "api-key");
let apiKey: string | undefined;
let apiKeys = process.env.API_KEYS ?? "";
if (!apiKeys) {
  apiKey = existsSync(keyFile)
    ? readFileSync(keyFile, "utf8").trim()
    : `trk_${randomBytes(24).toString("base64url")}`;
  writeFileSync(keyFile, `${apiKey}\n`, { mode: 0o600 });
  apiKeys = `stack:admin:${hashKey(apiKey)}`;
}

const started = Date.now();
const running: StackProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];
let phase: "starting" | "up" | "stopping" = "starting";
let stopRequested = false;
const stopAll = async () => {
  phase = "stopping";
  await Promise.all(running.map((p) => p.stop()));
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
};
/**
 * A signal during the start: the services and the ingest are told to stop at once (their start
 * then fails), a node or PostgreSQL starting finishes, and then everything started so far stops.
 */
const stopIfAsked = () => {
  if (stopRequested) throw new Error("stopped by a signal during the start");
};
const onSignal = (signal: string) => {
  if (phase === "stopping") return;
  if (phase === "starting") {
    stopRequested = true;
    for (const p of running) p.child.kill("SIGTERM");
    return say(`stack: ${signal} during the start: stopping what has started`);
  }
  say(`stack: ${signal}, stopping ${services.length} services, the event store and ${NODES} Weaviate nodes`);
  void stopAll().then(() => {
    say("stack: stopped");
    process.exit(0);
  });
};
process.on("SIGINT", () => onSignal("SIGINT"));
process.on("SIGTERM", () => onSignal("SIGTERM"));

try {
  const binary = await resolveWeaviateBinary({
    explicit: config.weaviate.binary,
    cacheDir: config.weaviate.cacheDir,
    log,
  });
  say(`stack: starting ${NODES} weaviate-server v${binary.version} nodes and PostgreSQL under ${dir}`);
  // One after the other: both pick free ports, and in parallel PostgreSQL can take one that a
  // node was given but has not bound yet.
  const cluster = await startWeaviateCluster({
    binary,
    rootDir: join(dir, "weaviate"),
    log,
    size: NODES,
    ports: nodePorts,
  });
  cleanups.push(() => cluster.stop());
  writeFileSync(portsFile, JSON.stringify(cluster.nodes.map((n) => n.ports)));
  stopIfAsked();
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, "postgres"), log });
  cleanups.push(() => pg.stop());
  stopIfAsked();

  const rest = cluster.nodes.map((n) => n.httpUrl);
  const grpc = cluster.nodes.map((n) => `grpc://${n.host}:${n.grpcPort}`);
  // Every process gets every node, its own first: the API replicas spread over the nodes and move
  // to a live one when theirs dies (WEAVIATE_FAILOVER_WINDOW_MS).
  const rotate = (xs: string[], k: number) => [...xs.slice(k % xs.length), ...xs.slice(0, k % xs.length)];
  const envFor = (k: number, extra: Record<string, string>): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = {
      NODE_ENV: "production",
      WEAVIATE_REPLICATION_FACTOR: String(NODES),
      WEAVIATE_READ_CONSISTENCY: "ONE",
      WEAVIATE_WRITE_CONSISTENCY: "QUORUM",
      LOG_LEVEL: "info",
      ...process.env,
      WEAVIATE_URL: rotate(rest, k).join(","),
      WEAVIATE_GRPC_URL: rotate(grpc, k).join(","),
      EVENTS_DATABASE_URL: pg.url,
      API_KEYS: apiKeys,
      HOST: "127.0.0.1",
      ...extra,
    };
    delete env.WEAVIATE_API_KEY; // the loopback nodes are anonymous
    delete env.EVENTS_DATA_DIR;
    return env;
  };

  await ingestOnce({
    dir,
    logDir,
    dataset: args.dataset,
    env: envFor(0, {}),
    say,
    track: (p) => running.push(p),
  });
  stopIfAsked();
  // Workers first: the first process to open the event store migrates it.
  const start = (s: (typeof services)[number], k: number) => {
    const p = runLogged(s.name, MAIN_JS, [], envFor(k, { ROLE: s.role, PORT: String(s.port) }), logDir);
    running.push(p);
    void p.exited.then((code) => {
      if (phase !== "stopping")
        console.error(`stack: ${s.name} exited (${code ?? "signal"}); see ${p.logFile}`);
    });
    return listening(p, 300_000).then((url) => ({ ...s, url, pid: p.child.pid }));
  };
  const up = [];
  for (const [k, s] of services.filter((x) => x.role === "worker").entries()) up.push(await start(s, k));
  up.push(...(await Promise.all(services.filter((x) => x.role === "api").map((s, k) => start(s, k)))));

  stopIfAsked();
  phase = "up";
  say(`stack: ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  for (const n of cluster.nodes) say(`  weaviate ${n.name}  ${n.httpUrl}  pid ${n.pid}  log ${n.logFile}`);
  say(`  postgres  127.0.0.1:${pg.port}  pid ${pg.pid}  log ${pg.logFile}`);
  for (const s of up)
    say(`  ${s.name.padEnd(9)} ${s.url}  ROLE=${s.role}  pid ${s.pid}  log ${join(logDir, `${s.name}.log`)}`);
  say(apiKey ? `API key (admin, kept in ${keyFile}): ${apiKey}` : "API keys: API_KEYS from the environment");
  const targets = up.filter((s) => s.role === "api").map((s) => s.url);
  const dataset = args.dataset === "demo" ? "demo" : resolve(args.dataset);
  say("Drive the API replicas (in another shell):");
  say(
    `  npm run bench:load -- --targets ${targets.join(",")} --dataset ${dataset}` +
      (apiKey ? ` --api-key $(cat ${keyFile})` : " --api-key <a key of API_KEYS>"),
  );
  say("Ctrl-C stops everything.");
} catch (err) {
  console.error(`stack: ${(err as Error).message}`);
  await stopAll();
  process.exit(stopRequested ? 0 : 1);
}
