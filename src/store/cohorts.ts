import { objectId } from "./object-ids.js";
import type { WeaviateHandle } from "./weaviate-handle.js";

export interface Cohort {
  key: string;
  level: "interest" | "app" | "country";
  memberCount: number;
  refreshedAt: Date;
  vector: number[];
}

const toCohort = (o: { properties: unknown; vectors?: Record<string, unknown> }): Cohort => {
  const p = o.properties as Record<string, unknown>;
  return { key: String(p.key), level: p.level as Cohort["level"], memberCount: Number(p.memberCount ?? 0), refreshedAt: new Date(p.refreshedAt as string), vector: (o.vectors?.default as number[] | undefined) ?? [] };
};

/** Replaces the stored cohorts with these: one batch of upserts, then the ones that no longer exist are deleted. */
export async function replaceCohorts(handle: WeaviateHandle, cohorts: Cohort[]): Promise<void> {
  const collection = handle.client.collections.get("Cohort");
  if (cohorts.length > 0) {
    const res = await collection.data.insertMany(
      cohorts.map(({ vector, ...properties }) => ({ id: objectId("Cohort", properties.key), properties: properties as never, vectors: vector })),
    );
    if (res.hasErrors) throw new Error(`cohort write failed: ${Object.values(res.errors)[0]?.message}`);
  }
  const keep = new Set(cohorts.map((c) => objectId("Cohort", c.key)));
  const stale: string[] = [];
  for await (const o of collection.iterator()) if (!keep.has(o.uuid)) stale.push(o.uuid);
  if (stale.length > 0) await collection.data.deleteMany(collection.filter.byId().containsAny(stale));
}

/** The stored cohorts among these keys, with their vectors. */
export async function cohortsByKeys(handle: WeaviateHandle, keys: string[]): Promise<Cohort[]> {
  if (keys.length === 0) return [];
  const collection = handle.client.collections.get("Cohort");
  const res = await collection.query.fetchObjects({ filters: collection.filter.byProperty("key" as never).containsAny(keys as never), limit: keys.length, includeVector: true });
  return res.objects.map(toCohort);
}

/** Every cohort, largest first, for the admin view. */
export async function listCohorts(handle: WeaviateHandle): Promise<Omit<Cohort, "vector">[]> {
  const res = await handle.client.collections.get("Cohort").query.fetchObjects({ limit: 10_000 });
  return res.objects.map((o) => ({ ...toCohort(o), vector: undefined })).map(({ vector: _v, ...c }) => c).sort((a, b) => b.memberCount - a.memberCount || a.key.localeCompare(b.key));
}
