import { classWith, collection } from "./collections/typed-collections.js";
import type { WeaviateHandle } from "./weaviate-handle.js";

/**
 * Weaviate's ref2vec-centroid recomputes a centroid on insert, on a single reference add and on
 * an update of the object, but not after batch reference writes or reference deletes (verified
 * live on v1.39.0, see test/integration/centroids.test.ts). Touching the parent with an update
 * makes it recompute from the references it has now; every reference write in the store ends here.
 */
export async function refreshCentroids(
  handle: WeaviateHandle,
  className: string,
  ids: Iterable<string>,
  concurrency = 8,
): Promise<void> {
  const parents = collection(handle, classWith(className, "refreshedAt"));
  const queue = [...new Set(ids)];
  const worker = async () => {
    for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
      await parents.data.update({ id, properties: { refreshedAt: new Date() } });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
}
