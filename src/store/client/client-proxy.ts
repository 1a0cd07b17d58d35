import type { WeaviateClient } from "weaviate-client";

type Collection = ReturnType<WeaviateClient["collections"]["get"]>;

/**
 * The same client, with every collection it hands out (`collections.get` and `.use`) passed
 * through `wrap` first; everything else is the client's own, bound to it. The one way the store
 * layers behaviour over weaviate-client (consistency levels, call counting).
 */
export function wrapCollections(
  client: WeaviateClient,
  wrap: (collection: Collection, name: string) => Collection,
): WeaviateClient {
  const collections = new Proxy(client.collections, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if ((prop === "get" || prop === "use") && typeof value === "function") {
        return (name: string, ...rest: unknown[]) =>
          wrap((value as (...a: unknown[]) => Collection).call(target, name, ...rest), name);
      }
      return bound(target, value);
    },
  });
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === "collections") return collections;
      return bound(target, Reflect.get(target, prop, receiver) as unknown);
    },
  });
}

/** A method bound to its owner (weaviate-client's methods read `this`), or the value itself. */
export function bound(owner: object, value: unknown): unknown {
  return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(owner) : value;
}
