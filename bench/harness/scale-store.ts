import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/platform/config/config.js";
import { freePort } from "../../src/platform/free-port.js";
import type { Logger } from "../../src/platform/logger.js";
import { loadClassDefinitions } from "../../src/store/class-schema.js";
import { openWeaviate } from "../../src/store/client/weaviate-connection.js";
import { resolveWeaviateBinary } from "../../src/store/server/weaviate-binary.js";
import { startWeaviateCluster, type WeaviateCluster } from "../../src/store/server/weaviate-cluster.js";
import type { WeaviateHandle } from "../../src/store/weaviate-handle.js";

/** The compression configs the scale bench compares, as Video's vectorIndexConfig (DESIGN.md). */
export const COMPRESSION: Record<string, Record<string, unknown>> = {
  none: {},
  rq8: { rq: { enabled: true, bits: 8 } },
  rq1: { rq: { enabled: true, bits: 1 } },
  // PQ trains its codebook on the first trainingLimit vectors, then compresses the index in place.
  pq: { pq: { enabled: true, segments: 96, trainingLimit: 50_000 } },
  bq: { bq: { enabled: true } },
};

export interface BenchCluster {
  cluster: WeaviateCluster;
  /** Prometheus /metrics of the node when there is one (Weaviate's own memory figures). */
  metricsUrls: string[];
  /** A handle on node 0 with this replication factor, as the service opens one. */
  open(replicas: number): Promise<WeaviateHandle>;
  dispose(): Promise<void>;
}

/** `size` real weaviate-server processes on loopback in a throwaway folder, with /metrics on. */
export async function startBenchCluster(size: number, log: Logger): Promise<BenchCluster> {
  const rootDir = mkdtempSync(join(tmpdir(), "bench-scale-"));
  const { weaviate } = loadConfig();
  const binary = await resolveWeaviateBinary({ explicit: weaviate.binary, cacheDir: weaviate.cacheDir, log });
  // The cluster gives every node the same environment, so one Prometheus port would clash:
  // /metrics only on a single node (the scale bench), none on a cluster (the sharding bench).
  const port = await freePort();
  const env1 = { PROMETHEUS_MONITORING_ENABLED: "true", PROMETHEUS_MONITORING_PORT: String(port) };
  const cluster = await startWeaviateCluster({ binary, rootDir, log, size, env: size === 1 ? env1 : {} });
  const env = {
    ...process.env,
    WEAVIATE_URL: cluster.nodes.map((n) => n.httpUrl).join(","),
    WEAVIATE_GRPC_URL: cluster.nodes.map((n) => `grpc://${n.host}:${n.grpcPort}`).join(","),
    WEAVIATE_READ_CONSISTENCY: "ONE",
    WEAVIATE_WRITE_CONSISTENCY: "ONE",
  };
  return {
    cluster,
    metricsUrls: size === 1 ? [`http://127.0.0.1:${port}/metrics`] : [],
    open: (replicas) =>
      openWeaviate(loadConfig({ ...env, WEAVIATE_REPLICATION_FACTOR: String(replicas) }).weaviate, log),
    dispose: async () => {
      await cluster.stop();
      rmSync(rootDir, { recursive: true, force: true });
    },
  };
}

/** (Re)creates the Video class of weaviate/classes/ with this index config, shards and replicas. */
export async function createVideoClass(
  handle: WeaviateHandle,
  vectorIndex: Record<string, unknown>,
  shards = 1,
  replicas = 1,
): Promise<void> {
  const video = loadClassDefinitions().find((d) => d.class === "Video")!;
  await fetch(`${handle.restUrl}/v1/schema/Video`, { method: "DELETE" });
  const body = {
    ...video,
    vectorIndexConfig: { ...(video.vectorIndexConfig as object), ...vectorIndex },
    shardingConfig: { desiredCount: shards },
    replicationConfig: { factor: replicas },
  };
  const res = await fetch(`${handle.restUrl}/v1/schema`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok)
    throw new Error(`creating Video (${JSON.stringify(vectorIndex)}): ${res.status} ${await res.text()}`);
}

/** Resident memory of a process, from /proc (bytes). */
export function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) * 1024 : NaN;
}

/** Bytes a folder takes on disk (`du -sb`). */
export function diskBytes(dir: string): number {
  return Number(execFileSync("du", ["-sb", dir], { encoding: "utf8" }).split("\t")[0]);
}

/** The Go heap in use, from Weaviate's own /metrics (NaN when not exposed). */
export async function heapInUseBytes(metricsUrl: string): Promise<number> {
  try {
    const text = await (await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) })).text();
    const match = /^go_memstats_heap_inuse_bytes\s+(\S+)$/m.exec(text);
    return match ? Number(match[1]) : NaN;
  } catch {
    return NaN;
  }
}
