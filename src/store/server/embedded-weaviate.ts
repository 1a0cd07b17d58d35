import type { Logger } from "../../platform/logger.js";
import { allocateNodePorts, startWeaviateNode, type WeaviateNode } from "./weaviate-node.js";
import type { ResolvedBinary } from "./weaviate-binary.js";

export interface EmbeddedOptions {
  binary: ResolvedBinary;
  dataDir: string;
  log: Logger;
  /** Extra Weaviate modules beside ref2vec-centroid, e.g. backup-filesystem. */
  modules?: string[];
  /** Environment overrides, e.g. the backup path. */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

export type EmbeddedWeaviate = WeaviateNode;

/** One weaviate-server on free loopback ports: a Raft cluster of one node, "n0". */
export async function startEmbeddedWeaviate(opts: EmbeddedOptions): Promise<EmbeddedWeaviate> {
  const ports = await allocateNodePorts();
  return startWeaviateNode({ ...opts, name: "n0", ports, raftJoin: [`n0:${ports.raft}`] });
}
