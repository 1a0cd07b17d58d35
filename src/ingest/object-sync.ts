import type { Encoder } from "../embed/encoder.js";
import {
  existingStates,
  storedVectors,
  writeObjects,
  type StoreObject,
  type WriteResult,
} from "../store/object-writes.js";
import type { WeaviateHandle } from "../store/weaviate-handle.js";
import type { PendingObject } from "./store-objects.js";

const CENTROID_CLASSES = new Set(["Creator", "UserInterest", "UserVideoInterest"]);

export interface PreparedWrite {
  className: string;
  objects: StoreObject[];
  embedded: number;
  unchanged: number;
  lookupSeconds: number;
  embedSeconds: number;
}

/**
 * Decides what to write and embeds only what changed: an object whose sync hash is stored is
 * skipped; one whose text (and model) is unchanged keeps its stored vector.
 */
export async function prepareWrite(
  weaviate: WeaviateHandle,
  encoder: Encoder,
  className: string,
  objects: PendingObject[],
): Promise<PreparedWrite> {
  if (objects.length === 0)
    return { className, objects: [], embedded: 0, unchanged: 0, lookupSeconds: 0, embedSeconds: 0 };
  const started = performance.now();
  const ownVectors = objects.some((o) => o.text !== undefined);
  const states = await existingStates(
    weaviate,
    className,
    objects.map((o) => o.id),
    ownVectors,
  );
  const changed = objects.filter((o) => states.get(o.id)?.syncHash !== o.properties.syncHash);
  const withText = changed.filter((o) => o.text !== undefined);
  const reuse = withText.filter((o) => states.get(o.id)?.contentHash === o.contentHash);
  const embed = withText.filter((o) => states.get(o.id)?.contentHash !== o.contentHash);
  const kept = await storedVectors(
    weaviate,
    className,
    reuse.map((o) => o.id),
  );
  // A stored object whose vector went missing is embedded again rather than written without one.
  const missing = reuse.filter((o) => !kept.has(o.id));
  const toEmbed = [...embed, ...missing];
  const looked = performance.now();
  const vectors = await encoder.embed(toEmbed.map((o) => o.text!));
  const fresh = new Map(toEmbed.map((o, i) => [o.id, Array.from(vectors[i]!)]));
  return {
    className,
    embedded: toEmbed.length,
    unchanged: objects.length - changed.length,
    lookupSeconds: (looked - started) / 1000,
    embedSeconds: (performance.now() - looked) / 1000,
    objects: changed.map((o) => ({
      id: o.id,
      properties: o.properties,
      references: o.references,
      vector: fresh.get(o.id) ?? kept.get(o.id),
    })),
  };
}

export function commitWrite(weaviate: WeaviateHandle, prepared: PreparedWrite): Promise<WriteResult> {
  return writeObjects(weaviate, prepared.className, prepared.objects, {
    centroids: CENTROID_CLASSES.has(prepared.className),
  });
}
