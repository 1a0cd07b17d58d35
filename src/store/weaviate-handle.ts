import type { WeaviateClient } from "weaviate-client";
import type { Config } from "../platform/config/config.js";
import type { EmbeddedWeaviate } from "./server/embedded-weaviate.js";
import type { NodePool } from "./client/node-pool.js";
import type { WriteGate } from "./generations/write-gate.js";

/** An open Weaviate: the gRPC/REST client plus what raw REST calls need. */
export interface WeaviateHandle {
  client: WeaviateClient;
  /** The REST address of the node calls go to now (it changes when the pool fails over). */
  readonly restUrl: string;
  headers: Record<string, string>;
  mode: "embedded" | "external";
  /** Replicas per class (applySchema) and the consistency the client and REST writes use. */
  replication: Config["weaviate"]["replication"];
  embedded?: EmbeddedWeaviate;
  /**
   * Logical class name -> the physical class of the encoder generation this handle reads and
   * writes (src/store/generations/); absent: the plain names (generation 1).
   */
  classNames?: Readonly<Record<string, string>>;
  /**
   * Held by every write unit of the app while encoder generations may switch (set on the
   * service's own handle only: a generation's pinned handle and the rebuild's copies bypass it).
   */
  writeGate?: WriteGate;
  /** The nodes of an external Weaviate: raw REST calls that may move go through `restFetch`. */
  pool?: NodePool;
  close(): Promise<void>;
}
