import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../../platform/paths.js";
import type { Logger } from "../../platform/logger.js";
import { checkDataDir } from "./data-dir-check.js";
import { freePort, freePortPair } from "../../platform/free-port.js";
import type { ResolvedBinary } from "./weaviate-binary.js";

export interface NodeOptions {
  binary: ResolvedBinary;
  dataDir: string;
  log: Logger;
  /** The node's name in the cluster (CLUSTER_HOSTNAME, and its id in RAFT_JOIN). */
  name: string;
  ports: NodePorts;
  /** Every voter of the Raft cluster, as `name:raftPort`, this node included. */
  raftJoin: string[];
  /** Gossip addresses (`host:port`) of the other members; empty for a single node. */
  clusterJoin?: string[];
  /** Extra Weaviate modules beside ref2vec-centroid, e.g. backup-filesystem. */
  modules?: string[];
  /** Environment overrides, e.g. async-replication tuning or the backup path. */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

/** The five loopback ports one weaviate-server listens on (Raft also takes raft + 1). */
export interface NodePorts {
  http: number;
  grpc: number;
  gossip: number;
  data: number;
  raft: number;
}

export interface WeaviateNode {
  name: string;
  host: string;
  httpPort: number;
  grpcPort: number;
  ports: NodePorts;
  httpUrl: string;
  dataDir: string;
  /** The weaviate-server process itself (not the lifeline wrapper). */
  pid: number;
  version: string;
  logFile: string;
  /** Resolves with the exit code (null when killed by a signal) once the node is gone. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export const LOOPBACK = "127.0.0.1";

export async function allocateNodePorts(): Promise<NodePorts> {
  return {
    http: await freePort(),
    grpc: await freePort(),
    gossip: await freePort(),
    data: await freePort(),
    raft: await freePortPair(),
  };
}

/**
 * Starts one weaviate-server as a child on the given loopback ports and waits until it is ready.
 * It runs under weaviate/lifeline.sh, which stops it when this process dies by any means,
 * and in its own process group, so a terminal's Ctrl-C reaches only us and we shut down in order.
 * One embedded node and each member of a loopback cluster are started by this same function.
 */
export async function startWeaviateNode(opts: NodeOptions): Promise<WeaviateNode> {
  checkDataDir(opts.dataDir);
  const { http: httpPort, grpc: grpcPort, gossip: gossipPort, data: dataPort, raft: raftPort } = opts.ports;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/tmp",
    PERSISTENCE_DATA_PATH: opts.dataDir,
    AUTHENTICATION_ANONYMOUS_ACCESS_ENABLED: "true",
    DEFAULT_VECTORIZER_MODULE: "none",
    ENABLE_MODULES: ["ref2vec-centroid", ...(opts.modules ?? [])].join(","),
    AUTOSCHEMA_ENABLED: "false",
    DISABLE_TELEMETRY: "true",
    GO_PROFILING_DISABLE: "true",
    LOG_FORMAT: "json",
    GRPC_PORT: String(grpcPort),
    CLUSTER_HOSTNAME: opts.name,
    CLUSTER_IN_LOCALHOST: "true",
    CLUSTER_BIND_ADDR: LOOPBACK,
    CLUSTER_ADVERTISE_ADDR: LOOPBACK,
    CLUSTER_GOSSIP_BIND_PORT: String(gossipPort),
    CLUSTER_DATA_BIND_PORT: String(dataPort),
    RAFT_PORT: String(raftPort),
    RAFT_INTERNAL_RPC_PORT: String(raftPort + 1),
    RAFT_JOIN: opts.raftJoin.join(","),
    RAFT_BOOTSTRAP_EXPECT: String(opts.raftJoin.length),
    ...(opts.clusterJoin && opts.clusterJoin.length > 0 ? { CLUSTER_JOIN: opts.clusterJoin.join(",") } : {}),
    ...opts.env,
  };
  const logFile = `${opts.dataDir.replace(/\/+$/, "")}.log`;
  const logStream = createWriteStream(logFile, { flags: "a" });
  // The log is a convenience: a disk that fills up later must not take the service down with it.
  logStream.on("error", (err) =>
    opts.log.warn("cannot write the weaviate log", { logFile, error: err.message }),
  );
  const child = spawn(
    "/bin/sh",
    [
      join(REPO_ROOT, "weaviate", "lifeline.sh"),
      opts.binary.path,
      "--host",
      LOOPBACK,
      "--port",
      String(httpPort),
      "--scheme",
      "http",
    ],
    { env, stdio: ["pipe", "pipe", "pipe"], detached: true },
  );
  const tail: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const pid = await readChildPid(child, logStream, tail);
  const httpUrl = `http://${LOOPBACK}:${httpPort}`;
  const log = opts.log.child({ component: "weaviate", node: opts.name, pid });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => {
        log.warn("weaviate did not stop within 20 s; killing it");
        safeKill(pid, "SIGKILL");
        child.kill("SIGKILL");
      }, 20_000);
      await exited;
      clearTimeout(timer);
    }
    // Also after Weaviate died by itself: an open pipe to the dead lifeline keeps our process alive.
    child.stdin?.destroy();
    logStream.end();
  };

  try {
    await waitReady(httpUrl, exited, opts.readyTimeoutMs ?? 90_000, () =>
      explainFailure(opts.dataDir, logFile, tail),
    );
  } catch (err) {
    await stop();
    throw err;
  }
  const version = await fetchVersion(httpUrl);
  log.info("embedded weaviate ready", {
    binary: opts.binary.path,
    source: opts.binary.source,
    version,
    httpUrl,
    grpcPort,
    dataDir: opts.dataDir,
  });
  exited.then((code) => {
    if (code !== 0 && code !== null)
      log.error("embedded weaviate exited", { code, logFile, tail: tail.slice(-5) });
  });
  return {
    name: opts.name,
    host: LOOPBACK,
    httpPort,
    grpcPort,
    ports: opts.ports,
    httpUrl,
    dataDir: opts.dataDir,
    pid,
    version,
    logFile,
    exited,
    stop,
  };
}

function readChildPid(
  child: ChildProcess,
  logStream: NodeJS.WritableStream,
  tail: string[],
): Promise<number> {
  return new Promise((resolve, reject) => {
    const keep = (chunk: Buffer) => {
      logStream.write(chunk);
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        tail.push(line);
        if (tail.length > 30) tail.shift();
      }
    };
    child.stderr?.on("data", keep);
    let head = "";
    let found = false;
    child.stdout?.on("data", (chunk: Buffer) => {
      if (found) return keep(chunk);
      head += chunk.toString();
      const match = /lifeline-child-pid=(\d+)\n/.exec(head);
      if (!match) return;
      found = true;
      resolve(Number(match[1]));
      const rest = head.slice(match.index + match[0].length);
      if (rest) keep(Buffer.from(rest));
    });
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`weaviate lifeline exited early (${code})`)));
  });
}

/**
 * weaviate-server logs JSON lines; when it dies at start, the fatal and error lines say why (a
 * corrupted raft.db or schema.db: "bolt db: invalid database", a read-only folder...).
 */
function explainFailure(dataDir: string, logFile: string, tail: string[]): string {
  const causes = tail.flatMap((line) => {
    try {
      const entry = JSON.parse(line) as { level?: string; msg?: string; error?: string };
      return entry.level === "fatal" || entry.level === "error" || entry.level === "panic"
        ? [[entry.msg, entry.error].filter(Boolean).join(": ")]
        : [];
    } catch {
      return line.startsWith("panic") ? [line] : [];
    }
  });
  const said = causes.length > 0 ? causes.map((c) => `  ${c}`).join("\n") : tail.slice(-5).join("\n");
  return (
    `Weaviate could not open its data folder ${dataDir}:\n${said}\n` +
    `Its full log: ${logFile}. If the folder is damaged, move it away and restore a backup into a fresh folder ` +
    "(npm run backup -- restore --id <id>; see the README), or start with an empty WEAVIATE_DATA_DIR."
  );
}

async function waitReady(url: string, exited: Promise<number | null>, timeoutMs: number, tail: () => string) {
  const deadline = Date.now() + timeoutMs;
  let gone: number | null | undefined;
  exited.then((code) => (gone = code));
  while (Date.now() < deadline) {
    if (gone !== undefined)
      throw new Error(`weaviate-server exited with code ${gone} before it was ready. ${tail()}`);
    try {
      const res = await fetch(`${url}/v1/.well-known/ready`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`weaviate-server was not ready after ${Math.round(timeoutMs / 1000)} s. ${tail()}`);
}

async function fetchVersion(url: string): Promise<string> {
  const res = await fetch(`${url}/v1/meta`, { signal: AbortSignal.timeout(5_000) });
  const meta = (await res.json()) as { version?: unknown };
  return typeof meta.version === "string" ? meta.version : "unknown";
}

function safeKill(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
