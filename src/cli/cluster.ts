/**
 * npm run cluster -- [--dir .data/cluster] [--nodes 3]
 * Runs a Weaviate cluster on loopback (the same weaviate-server binary once per node), prints the
 * settings that point the API and `npm run ingest` at it, and stops every node on Ctrl-C.
 * The ports are kept in <dir>/ports.json, so a later run over the same data finds its cluster again.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "../platform/paths.js";
import { isFree } from "../platform/free-port.js";
import { resolveWeaviateBinary } from "../store/server/weaviate-binary.js";
import { startWeaviateCluster } from "../store/server/weaviate-cluster.js";
import type { NodePorts } from "../store/server/weaviate-node.js";
import { configOrFail } from "../platform/config/config-or-fail.js";

function fail(message: string): never {
  console.error(`cluster: ${message}`);
  process.exit(2);
}

let args: { dir: string; nodes: string };
try {
  args = parseArgs({
    options: { dir: { type: "string", default: ".data/cluster" }, nodes: { type: "string", default: "3" } },
  }).values as typeof args;
} catch (err) {
  fail((err as Error).message);
}
const size = Number(args.nodes);
if (!Number.isInteger(size) || size < 1 || size > 9)
  fail(`--nodes must be a whole number from 1 to 9, got "${args.nodes}"`);
const { config, log } = configOrFail("cluster", { fail });
const rootDir = isAbsolute(args.dir) ? args.dir : resolve(REPO_ROOT, args.dir);
mkdirSync(rootDir, { recursive: true });

const portsFile = join(rootDir, "ports.json");
const ports = existsSync(portsFile)
  ? (JSON.parse(readFileSync(portsFile, "utf8")) as NodePorts[])
  : undefined;
if (ports) {
  if (ports.length !== size)
    fail(
      `${portsFile} describes ${ports.length} nodes, not ${size}: use another --dir, or --nodes ${ports.length}`,
    );
  for (const p of ports.flatMap((n) => [n.http, n.grpc, n.gossip, n.data, n.raft, n.raft + 1])) {
    if (!(await isFree(p)))
      fail(
        `port ${p} (from ${portsFile}) is in use: is this cluster already running? Stop it, or delete the folder for a fresh one`,
      );
  }
}

const started = Date.now();
const binary = await resolveWeaviateBinary({
  explicit: config.weaviate.binary,
  cacheDir: config.weaviate.cacheDir,
  log,
});
console.log(`cluster: starting ${size} weaviate-server v${binary.version} nodes under ${rootDir}`);
let cluster;
try {
  cluster = await startWeaviateCluster({ binary, rootDir, log, size, ports });
} catch (err) {
  fail((err as Error).message);
}
writeFileSync(portsFile, JSON.stringify(cluster.nodes.map((n) => n.ports)));
const [first] = cluster.nodes;
const factor = Math.min(3, size);
console.log(`cluster: ${size} nodes ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
for (const n of cluster.nodes)
  console.log(`  ${n.name}  ${n.httpUrl}  grpc ${n.host}:${n.grpcPort}  pid ${n.pid}  log ${n.logFile}`);
console.log(
  "Point the API or `npm run ingest` at it (any node serves; production puts a load balancer in front):",
);
console.log(
  `  export WEAVIATE_URL=${first!.httpUrl} WEAVIATE_GRPC_URL=grpc://${first!.host}:${first!.grpcPort} ` +
    `WEAVIATE_REPLICATION_FACTOR=${factor} WEAVIATE_READ_CONSISTENCY=ONE WEAVIATE_WRITE_CONSISTENCY=QUORUM`,
);
console.log("Ctrl-C stops every node.");

let stopping = false;
for (const n of cluster.nodes) {
  void n.exited.then((code) => {
    if (!stopping) console.error(`cluster: ${n.name} exited (${code ?? "signal"}); see ${n.logFile}`);
  });
}
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`cluster: ${signal}, stopping ${size} nodes`);
  await cluster.stop();
  console.log("cluster: stopped");
  process.exit(0);
};
process.once("SIGINT", () => void stop("SIGINT"));
process.once("SIGTERM", () => void stop("SIGTERM"));
