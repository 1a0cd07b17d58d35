import type { WeaviateClient } from "weaviate-client";
import { bound, wrapCollections } from "./client-proxy.js";

/**
 * The same client, counting every call made through `collections.get(name).query` and `.data`
 * (reported as weaviate_calls_total{collection, call} at /metrics). This is how the N+1 bound is
 * checked over HTTP: a page of recommendations must cost a fixed number of calls, not one per item.
 * A call that throws or rejects is also reported to `onError` (weaviate_errors_total); the caller
 * still gets the error.
 */
export function countedClient(
  client: WeaviateClient,
  onCall: (collection: string, call: string) => void,
  onError: (collection: string, call: string) => void = () => {},
): WeaviateClient {
  const countedGroup = (group: object, collection: string, groupName: string) =>
    new Proxy(group, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          const call = `${groupName}.${String(prop)}`;
          onCall(collection, call);
          let result: unknown;
          try {
            result = (value as (...a: unknown[]) => unknown).apply(target, args);
          } catch (err) {
            onError(collection, call);
            throw err;
          }
          // A side branch that only counts: the caller's own handling of `result` is unchanged.
          if (result instanceof Promise) result.catch(() => onError(collection, call));
          return result;
        };
      },
    });
  const countedCollection = (collection: object, name: string) =>
    new Proxy(collection, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if ((prop === "query" || prop === "data") && value && typeof value === "object")
          return countedGroup(value, name, prop);
        return bound(target, value);
      },
    });
  return wrapCollections(
    client,
    (collection, name) => countedCollection(collection, name) as typeof collection,
  );
}
