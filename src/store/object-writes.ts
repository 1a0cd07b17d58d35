import weaviate from "weaviate-client";
import { restFetch } from "./client/rest-fetch.js";
import { loadClassDefinitions, referenceProperties } from "./class-schema.js";
import { refreshCentroids } from "./centroids.js";
import { classWith, collection, ourClass, physicalName } from "./collections/typed-collections.js";
import type { WeaviateHandle } from "./weaviate-handle.js";

/** One object as the store writes it; `syncHash` in properties identifies its whole content. */
export interface StoreObject {
  id: string;
  properties: Record<string, unknown> & { syncHash: string };
  references?: Record<string, string[]>;
  vector?: number[];
}

export interface ExistingState {
  syncHash?: string;
  contentHash?: string;
}

export interface WriteResult {
  written: number;
  /** Objects Weaviate refused even one at a time, with its reason: reported, never dropped silently. */
  failed: { id: string; error: string }[];
}

/** What the store already holds for these ids: their sync and content hashes. */
export async function existingStates(
  handle: WeaviateHandle,
  className: string,
  ids: string[],
  withContentHash: boolean,
): Promise<Map<string, ExistingState>> {
  const out = new Map<string, ExistingState>();
  const synced = collection(handle, classWith(className, "syncHash"));
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    const res = await synced.query.fetchObjects({
      filters: weaviate.filter.byId().containsAny(chunk),
      limit: chunk.length,
      returnProperties: withContentHash ? ["syncHash", "contentHash"] : ["syncHash"],
    });
    for (const o of res.objects) {
      const p: ExistingState = o.properties;
      out.set(o.uuid, { syncHash: p.syncHash, contentHash: p.contentHash });
    }
  }
  return out;
}

/** Stored vectors, for objects whose text is unchanged but whose other properties are rewritten. */
export async function storedVectors(
  handle: WeaviateHandle,
  className: string,
  ids: string[],
): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  const stored = collection(handle, ourClass(className));
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const res = await stored.query.fetchObjects({
      filters: weaviate.filter.byId().containsAny(chunk),
      limit: chunk.length,
      includeVector: true,
      returnProperties: [],
    });
    for (const o of res.objects) {
      const v = o.vectors?.default as number[] | undefined;
      if (v && v.length > 0) out.set(o.uuid, v);
    }
  }
  return out;
}

/**
 * Upserts in batches (same id = replace) over REST's /v1/batch/objects: on v1.39.0 the gRPC batch
 * call of weaviate-client 3.12.1 takes ~500 ms whatever its size, REST ~10 ms for a few objects.
 * Objects a batch refuses are retried one at a time and whatever still fails is returned.
 * Classes with a ref2vec vector get their centroids refreshed, because Weaviate computes them
 * wrongly after batch writes.
 */
export async function writeObjects(
  handle: WeaviateHandle,
  className: string,
  objects: StoreObject[],
  opts: { centroids?: boolean; batchSize?: number } = {},
): Promise<WriteResult> {
  const failed: WriteResult["failed"] = [];
  const batchSize = opts.batchSize ?? 500;
  for (let i = 0; i < objects.length; i += batchSize) {
    const chunk = objects.slice(i, i + batchSize);
    const refused = await postBatch(handle, className, chunk);
    for (const obj of chunk.filter((o) => refused.has(o.id))) {
      const again = await postBatch(handle, className, [obj]);
      if (again.has(obj.id)) failed.push({ id: obj.id, error: again.get(obj.id)! });
    }
  }
  if (opts.centroids) {
    const bad = new Set(failed.map((f) => f.id));
    await refreshCentroids(
      handle,
      className,
      objects.filter((o) => !bad.has(o.id)).map((o) => o.id),
    );
  }
  return { written: objects.length - failed.length, failed };
}

/**
 * One batch request at the configured write consistency; returns the ids Weaviate refused, with
 * its reason (too few replicas acknowledging is such a refusal). Transport failures throw.
 */
async function postBatch(
  handle: WeaviateHandle,
  className: string,
  objects: StoreObject[],
): Promise<Map<string, string>> {
  const body = { objects: objects.map((o) => toRestObject(handle, className, o)) };
  // A batch upserts by id, so repeating it on another node stores nothing twice.
  const res = await restFetch(handle, `/v1/batch/objects?consistency_level=${handle.replication.write}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
    repeatable: true,
  });
  if (!res.ok)
    throw new Error(
      `Weaviate refused a batch of ${objects.length} ${className} objects: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`,
    );
  const results = (await res.json()) as {
    id: string;
    result?: { errors?: { error?: { message: string }[] } };
  }[];
  const refused = new Map<string, string>();
  for (const r of results) {
    const message = r.result?.errors?.error?.map((e) => e.message).join("; ");
    if (message) refused.set(r.id, message);
  }
  return refused;
}

/** Class and beacons name the physical classes of the handle's encoder generation. */
function toRestObject(handle: WeaviateHandle, className: string, o: StoreObject) {
  const references = Object.fromEntries(
    Object.entries(o.references ?? {}).map(([prop, ids]) => [
      prop,
      ids.map((id) => ({
        beacon: `weaviate://localhost/${physicalName(handle, targetClass(className, prop))}/${id}`,
      })),
    ]),
  );
  return {
    class: physicalName(handle, className),
    id: o.id,
    properties: { ...o.properties, ...references },
    vector: o.vector,
  };
}

/** The class a reference property points at, from weaviate/classes/ (beacons name it). */
const refTargets = new Map(
  loadClassDefinitions().flatMap((d) =>
    referenceProperties(d).map((p) => [`${d.class}.${p.name}`, p.dataType[0]!] as const),
  ),
);
export function targetClass(className: string, prop: string): string {
  const target = refTargets.get(`${className}.${prop}`);
  if (!target) throw new Error(`${className}.${prop} is not a reference property`);
  return target;
}
