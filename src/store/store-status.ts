import type { WeaviateHandle } from "./weaviate-handle.js";
import { restFetch } from "./client/rest-fetch.js";
import { loadClassDefinitions } from "./class-schema.js";
import { collection, ourClass } from "./collections/typed-collections.js";

export interface StoreStatus {
  version: string;
  mode: "embedded" | "external";
  url: string;
  counts: { className: string; objects: number }[];
}

const classNames = loadClassDefinitions()
  .map((d) => d.class)
  .sort();

/** Weaviate's version and an object count per class of ours. */
export async function storeStatus(handle: WeaviateHandle): Promise<StoreStatus> {
  const meta = await handle.client.getMeta();
  const counts = await Promise.all(
    classNames.map(async (className) => ({
      className,
      objects: (await collection(handle, ourClass(className)).aggregate.overAll()).totalCount,
    })),
  );
  return { version: meta.version ?? "unknown", mode: handle.mode, url: handle.restUrl, counts };
}

/** Weaviate's own readiness, for our readiness probe. */
export async function storeReady(handle: WeaviateHandle): Promise<boolean> {
  try {
    const res = await restFetch(handle, "/v1/.well-known/ready", {
      signal: AbortSignal.timeout(2_000),
      repeatable: true,
    });
    return res.status === 200;
  } catch {
    return false;
  }
}

/** True when no video is stored yet (a fresh store). */
export async function storeIsEmpty(handle: WeaviateHandle): Promise<boolean> {
  return (await collection(handle, "Video").aggregate.overAll()).totalCount === 0;
}
