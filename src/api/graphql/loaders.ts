import DataLoader from "dataloader";
import type { EntityReads } from "../services.js";

/** Per-request loaders: one store call per entity kind per tick, results in key order. */
export function createLoaders(reads: EntityReads) {
  const inOrder =
    <T>(load: (ids: readonly string[]) => Promise<Map<string, T>>, what: string) =>
    async (ids: readonly string[]) => {
      const found = await load(ids);
      return ids.map((id) => found.get(id) ?? new Error(`${what} ${id} not found`));
    };
  return {
    video: new DataLoader(inOrder(reads.videosByIds, "video")),
    creator: new DataLoader(inOrder(reads.creatorsByIds, "creator")),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
