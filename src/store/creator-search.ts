import { collection } from "./collections/typed-collections.js";
import type { WeaviateHandle } from "./weaviate-handle.js";

export interface CreatorHit {
  creatorId: string;
  distance: number;
}

/** Creators nearest a vector (their ref2vec centroids), one excluded inside Weaviate. */
export async function nearCreators(
  handle: WeaviateHandle,
  vector: number[],
  excludeCreatorId: string,
  limit: number,
): Promise<CreatorHit[]> {
  const creators = collection(handle, "Creator");
  const res = await creators.query.nearVector(vector, {
    limit,
    filters: creators.filter.byProperty("creatorId").notEqual(excludeCreatorId),
    returnMetadata: ["distance"],
    returnProperties: ["creatorId"],
  });
  return res.objects.map((o) => ({
    creatorId: String(o.properties.creatorId),
    distance: o.metadata?.distance ?? 1,
  }));
}
