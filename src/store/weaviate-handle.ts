import type { WeaviateClient } from "weaviate-client";
import type { Config } from "../platform/config/config.js";
import type { EmbeddedWeaviate } from "./server/embedded-weaviate.js";

/** An open Weaviate: the gRPC/REST client plus what raw REST calls need. */
export interface WeaviateHandle {
  client: WeaviateClient;
  restUrl: string;
  headers: Record<string, string>;
  mode: "embedded" | "external";
  /** Replicas per class (applySchema) and the consistency the client and REST writes use. */
  replication: Config["weaviate"]["replication"];
  embedded?: EmbeddedWeaviate;
  close(): Promise<void>;
}
