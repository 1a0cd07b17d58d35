import { refreshCentroids } from "./centroids.js";
import { Reference } from "weaviate-client";
import { collection, ourClass, physicalName } from "./collections/typed-collections.js";
import { targetClass } from "./object-writes.js";
import type { WeaviateHandle } from "./weaviate-handle.js";

export interface ReferenceLink {
  from: string;
  to: string;
}

/** Adds references in one batch, then refreshes the parents' centroids. Any failed link throws. */
export async function addReferences(
  handle: WeaviateHandle,
  className: string,
  property: string,
  links: ReferenceLink[],
): Promise<void> {
  if (links.length === 0) return;
  const parents = collection(handle, ourClass(className));
  const result = await parents.data.referenceAddMany(
    links.map((l) => ({
      fromUuid: l.from,
      fromProperty: property,
      to: target(handle, className, property, l.to),
    })),
  );
  if (result.hasErrors) {
    const failures = Object.entries(result.errors).map(
      ([i, e]) => `${links[Number(i)]?.from} -> ${links[Number(i)]?.to}: ${e.message}`,
    );
    throw new Error(
      `${failures.length} of ${links.length} ${className}.${property} references failed:\n  ${failures.slice(0, 10).join("\n  ")}`,
    );
  }
  await refreshCentroids(
    handle,
    className,
    links.map((l) => l.from),
  );
}

/** Removes references, then refreshes the parents' centroids. */
export async function removeReferences(
  handle: WeaviateHandle,
  className: string,
  property: string,
  links: ReferenceLink[],
): Promise<void> {
  const parents = collection(handle, ourClass(className));
  for (const l of links)
    await parents.data.referenceDelete({
      fromUuid: l.from,
      fromProperty: property,
      to: target(handle, className, property, l.to),
    });
  await refreshCentroids(
    handle,
    className,
    links.map((l) => l.from),
  );
}

/**
 * A bare id, as before generations; in a later encoder generation the beacon names the physical
 * target class, so it never resolves to the same id in another generation's class.
 */
function target(handle: WeaviateHandle, className: string, property: string, id: string) {
  const logical = targetClass(className, property);
  const physical = physicalName(handle, logical);
  return physical === logical ? id : Reference.toMultiTarget(id, physical);
}
