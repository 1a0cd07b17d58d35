import type { ConsistencyLevel, WeaviateClient } from "weaviate-client";

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
  const leveled = (collection: ReturnType<WeaviateClient["collections"]["get"]>) => {
    const reads = collection.withConsistency(level.read);
    return { ...reads, data: collection.withConsistency(level.write).data };
  };
  const collections = new Proxy(client.collections, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if ((prop === "get" || prop === "use") && typeof value === "function") {
        return (name: string) => leveled((value as (n: string) => ReturnType<WeaviateClient["collections"]["get"]>).call(target, name));
      }
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === "collections") return collections;
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
