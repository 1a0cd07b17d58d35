import type { WeaviateClient } from "weaviate-client";
import { bound } from "./client-proxy.js";
import type { NodePool } from "./node-pool.js";

/** Data calls that land the same however often they run (upserts by id, deletes, reads). */
const REPEATABLE_DATA = new Set([
  "insertMany",
  "replace",
  "update",
  "deleteById",
  "deleteMany",
  "exists",
  "referenceReplace",
]);
/** Client and collections calls that create: repeated only when the first try never left. */
const ONE_SHOT = new Set(["create", "createFromSchema", "delete"]);

type AnyFn = (...a: unknown[]) => Promise<unknown>;

/**
 * A client whose every network call runs through the node pool: queries, aggregates and
 * repeatable writes move to a live node when theirs dies. It has the shape of weaviate-client's,
 * so the store's code, the consistency levels and the call counting layer over it unchanged.
 * Builders that stay in this process (filters, sorts) come from the current node's collection.
 */
export function failoverClient(pool: NodePool, base: WeaviateClient): WeaviateClient {
  // One collection object per node and name: weaviate-client builds a new one on every get.
  const made = new WeakMap<WeaviateClient, Map<string, ReturnType<WeaviateClient["collections"]["get"]>>>();
  const on = (c: WeaviateClient, name: string) => {
    let byName = made.get(c);
    if (!byName) made.set(c, (byName = new Map()));
    let found = byName.get(name);
    if (!found) byName.set(name, (found = c.collections.get(name)));
    return found;
  };
  const viaPool = (idempotent: boolean, pick: (c: WeaviateClient) => AnyFn) =>
    ((...args: unknown[]) => pool.run(idempotent, (c) => pick(c)(...args))) as AnyFn;
  const makeCollection = (name: string) => {
    const local = on(base, name);
    const group = (groupName: "query" | "aggregate" | "data") =>
      new Proxy(local[groupName] as object, {
        get(target, method) {
          const value = Reflect.get(target, method) as unknown;
          if (typeof value !== "function") return value;
          const repeatable = groupName !== "data" || REPEATABLE_DATA.has(String(method));
          return viaPool(repeatable, (c) => {
            const g = on(c, name)[groupName] as unknown as Record<string | symbol, AnyFn>;
            return g[method]!.bind(g);
          });
        },
      });
    const groups = { query: group("query"), aggregate: group("aggregate"), data: group("data") };
    return new Proxy(local, {
      get(target, prop, receiver) {
        if (prop === "query" || prop === "aggregate" || prop === "data") return groups[prop];
        return bound(target, Reflect.get(target, prop, receiver) as unknown);
      },
    });
  };
  const proxies = new Map<string, ReturnType<typeof makeCollection>>();
  const collection = (name: string) => {
    let found = proxies.get(name);
    if (!found) proxies.set(name, (found = makeCollection(name)));
    return found;
  };
  const collections = new Proxy(base.collections, {
    get(target, prop, receiver) {
      if (prop === "get" || prop === "use") return collection;
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      return viaPool(!ONE_SHOT.has(String(prop)), (c) => {
        const cs = c.collections as unknown as Record<string | symbol, AnyFn>;
        return cs[prop]!.bind(cs);
      });
    },
  });
  return new Proxy(base, {
    get(target, prop, receiver) {
      if (prop === "collections") return collections;
      if (prop === "close") return () => pool.close();
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      return viaPool(true, (c) => {
        const client = c as unknown as Record<string | symbol, AnyFn>;
        return client[prop]!.bind(client);
      });
    },
  });
}
