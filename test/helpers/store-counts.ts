import type { WeaviateHandle } from "../../src/store/weaviate-handle.js";

export async function objectCounts(handle: WeaviateHandle): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of ["Video", "Comment", "CreatorBio", "Creator", "UserInterest", "UserVideoInterest"]) {
    out[name] = (await handle.client.collections.get(name).aggregate.overAll()).totalCount;
  }
  return out;
}
