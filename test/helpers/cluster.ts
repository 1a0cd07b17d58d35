import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/platform/config/config.js";
import { silentLogger } from "../../src/platform/logger.js";
import { resolveWeaviateBinary } from "../../src/store/server/weaviate-binary.js";
import { startWeaviateCluster, type WeaviateCluster } from "../../src/store/server/weaviate-cluster.js";
import type { WeaviateHandle } from "../../src/store/weaviate-handle.js";
import { openWeaviate } from "../../src/store/client/weaviate-connection.js";
import type { WeaviateNode } from "../../src/store/server/weaviate-node.js";

export type Level = "ONE" | "QUORUM" | "ALL";

export interface TestCluster extends WeaviateCluster {
  rootDir: string;
  /** The settings that point the service at node `index` with 3 replicas and these levels. */
  envFor(index: number, levels: { read: Level; write: Level }): Record<string, string>;
  /** A store handle on node `index`, as the service opens one. */
  open(index: number, levels: { read: Level; write: Level }): Promise<WeaviateHandle>;
  /** Stops every node and deletes their data. */
  dispose(): Promise<void>;
}

/** Three real weaviate-server processes on loopback in a throwaway folder. */
export async function startTestCluster(env: Record<string, string> = {}): Promise<TestCluster> {
  const rootDir = mkdtempSync(join(tmpdir(), "tiktok-recs-cluster-"));
  const { weaviate } = loadConfig();
  const binary = await resolveWeaviateBinary({
    explicit: weaviate.binary,
    cacheDir: weaviate.cacheDir,
    log: silentLogger,
  });
  const cluster = await startWeaviateCluster({ binary, rootDir, log: silentLogger, size: 3, env });
  const envFor = (index: number, levels: { read: Level; write: Level }) => {
    const node = cluster.nodes[index]!;
    return {
      WEAVIATE_URL: node.httpUrl,
      WEAVIATE_GRPC_URL: `grpc://${node.host}:${node.grpcPort}`,
      WEAVIATE_REPLICATION_FACTOR: "3",
      WEAVIATE_READ_CONSISTENCY: levels.read,
      WEAVIATE_WRITE_CONSISTENCY: levels.write,
    };
  };
  return {
    ...cluster,
    rootDir,
    envFor,
    open: (index, levels) =>
      openWeaviate(loadConfig({ ...process.env, ...envFor(index, levels) }).weaviate, silentLogger),
    dispose: async () => {
      await cluster.stop();
      rmSync(rootDir, { recursive: true, force: true });
    },
  };
}

/** Who node `node` believes leads the Raft cluster, from its own entry in /v1/cluster/statistics. */
export async function raftLeader(node: WeaviateNode): Promise<string | undefined> {
  try {
    const res = await fetch(`${node.httpUrl}/v1/cluster/statistics`, { signal: AbortSignal.timeout(2_000) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { statistics?: { name: string; leaderId?: string }[] };
    return body.statistics?.find((s) => s.name === node.name)?.leaderId || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Which of `ids` the replica on node `nodeName` lacks, read from that replica alone
 * (`GET /v1/objects/{class}/{id}?node_name=`: no coordinator, no read repair).
 */
export async function missingOnReplica(
  via: string,
  className: string,
  ids: string[],
  nodeName: string,
  concurrency = 8,
): Promise<string[]> {
  const missing: string[] = [];
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
      const res = await fetch(`${via}/v1/objects/${className}/${id}?node_name=${nodeName}`, {
        signal: AbortSignal.timeout(10_000),
      });
      if (res.status === 404) missing.push(id);
      else if (!res.ok)
        throw new Error(
          `GET ${className}/${id} on ${nodeName} answered ${res.status}: ${(await res.text()).slice(0, 200)}`,
        );
      else await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return missing;
}
