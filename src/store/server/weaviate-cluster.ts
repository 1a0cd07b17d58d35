import { join } from "node:path";
import type { Logger } from "../../platform/logger.js";
import {
  allocateNodePorts,
  LOOPBACK,
  startWeaviateNode,
  type NodeOptions,
  type NodePorts,
  type WeaviateNode,
} from "./weaviate-node.js";
import type { ResolvedBinary } from "./weaviate-binary.js";

export interface ClusterOptions {
  binary: ResolvedBinary;
  /** Each node keeps its data in `<rootDir>/<name>` and logs to `<rootDir>/<name>.log`. */
  rootDir: string;
  log: Logger;
  /** Number of nodes; 3 gives a Raft quorum that survives one node down. */
  size?: number;
  /** Ports per node, e.g. those a previous run used; free loopback ports otherwise. */
  ports?: NodePorts[];
  modules?: string[];
  /** Environment for every node, e.g. ASYNC_REPLICATION_FREQUENCY. */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

export interface WeaviateCluster {
  /** The running node at each position; a killed node stays here until restarted. */
  nodes: WeaviateNode[];
  /** Starts node `index` again on the same ports and data folder; it rejoins the cluster. */
  restart(index: number): Promise<WeaviateNode>;
  /** Stops every node (SIGTERM, then SIGKILL after 20 s). */
  stop(): Promise<void>;
}

/**
 * Runs a Weaviate cluster on loopback: the same binary `size` times with distinct ports, every
 * node a Raft voter (RAFT_JOIN lists all, RAFT_BOOTSTRAP_EXPECT = size) and gossiping with all
 * the others (CLUSTER_JOIN), so a restarted node finds the cluster through any member. The nodes
 * start together: none is ready before the Raft quorum forms.
 */
export async function startWeaviateCluster(opts: ClusterOptions): Promise<WeaviateCluster> {
  const size = opts.size ?? 3;
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`a cluster needs a whole number of nodes >= 1, got ${size}`);
  if (opts.ports && opts.ports.length !== size)
    throw new Error(`ports were given for ${opts.ports.length} nodes, the cluster has ${size}`);
  const ports: NodePorts[] = opts.ports ?? [];
  for (let i = ports.length; i < size; i++) ports.push(await allocateNodePorts());
  const names = ports.map((_, i) => `n${i}`);
  const options: NodeOptions[] = ports.map((p, i) => ({
    binary: opts.binary,
    dataDir: join(opts.rootDir, names[i]!),
    log: opts.log,
    name: names[i]!,
    ports: p,
    raftJoin: names.map((n, j) => `${n}:${ports[j]!.raft}`),
    clusterJoin: ports.filter((_, j) => j !== i).map((q) => `${LOOPBACK}:${q.gossip}`),
    modules: opts.modules,
    env: opts.env,
    readyTimeoutMs: opts.readyTimeoutMs,
  }));

  const started = await Promise.allSettled(options.map((o) => startWeaviateNode(o)));
  const failed = started.filter((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed.length > 0) {
    await Promise.all(started.map((s) => (s.status === "fulfilled" ? s.value.stop() : undefined)));
    throw new Error(
      `${failed.length} of ${size} weaviate nodes failed to start:\n${failed.map((f) => (f.reason as Error).message).join("\n")}`,
    );
  }
  const nodes = started.map((s) => (s as PromiseFulfilledResult<WeaviateNode>).value);
  return {
    nodes,
    restart: async (index) => {
      const node = nodes[index];
      if (!node) throw new Error(`no node ${index} in a cluster of ${size}`);
      await node.stop();
      nodes[index] = await startWeaviateNode(options[index]!);
      return nodes[index]!;
    },
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}
