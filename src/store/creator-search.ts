import type { WeaviateHandle } from "./weaviate-handle.js";

export interface CreatorHit {
  creatorId: string;
  distance: number;
}

/** Creators nearest a vector (their ref2vec centroids), one excluded inside Weaviate. */
export async function nearCreators(handle: WeaviateHandle, vector: number[], excludeCreatorId: string, limit: number): Promise<CreatorHit[]> {
  const creators = handle.client.collections.get("Creator");
  const res = await creators.query.nearVector(vector, {
    limit,
    filters: creators.filter.byProperty("creatorId" as never).notEqual(excludeCreatorId as never),
    returnMetadata: ["distance"],
    returnProperties: ["creatorId"] as never,
  });
  return res.objects.map((o) => ({ creatorId: String((o.properties as Record<string, unknown>).creatorId), distance: o.metadata?.distance ?? 1 }));
}
