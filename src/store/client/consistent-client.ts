import type { ConsistencyLevel, WeaviateClient } from "weaviate-client";
import { wrapCollections } from "./client-proxy.js";

export interface Consistency {
  read: ConsistencyLevel;
  write: ConsistencyLevel;
}

/**
 * The same client, with every collection it hands out reading at `read` and writing at `write`:
 * `query`, `aggregate` and `iterator()` come from the collection at the read level, `data` from
 * the one at the write level. Every store call goes through `collections.get`/`use`, so this is
 * the one place the configured consistency is applied (raw REST writes add it to their URL).
 */
export function consistentClient(client: WeaviateClient, level: Consistency): WeaviateClient {
  return wrapCollections(client, (collection) => ({
    ...collection.withConsistency(level.read),
    data: collection.withConsistency(level.write).data,
  }));
}
