import type { WeaviateClient } from "weaviate-client";

/**
 * The same client, counting every call made through `collections.get(name).query` and `.data`
 * (reported as weaviate_calls_total{collection, call} at /metrics). This is how the N+1 bound is
 * checked over HTTP: a page of recommendations must cost a fixed number of calls, not one per item.
 */
export function countedClient(client: WeaviateClient, onCall: (collection: string, call: string) => void): WeaviateClient {
  const countedGroup = (group: object, collection: string, groupName: string) =>
    new Proxy(group, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          onCall(collection, `${groupName}.${String(prop)}`);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const countedCollection = (collection: object, name: string) =>
    new Proxy(collection, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if ((prop === "query" || prop === "data") && value && typeof value === "object") return countedGroup(value, name, prop);
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  const collections = new Proxy(client.collections, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === "get") return (name: string, ...rest: unknown[]) => countedCollection((value as (...a: unknown[]) => object).call(target, name, ...rest), name);
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
