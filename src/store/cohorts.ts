import { everyObject } from "./collections/every-object.js";
import { collection } from "./collections/typed-collections.js";
import type { CohortProps } from "./collections/cohort.props.js";
import { objectId } from "./object-ids.js";
import type { WeaviateHandle } from "./weaviate-handle.js";

export interface Cohort {
  key: string;
  level: "interest" | "app" | "country";
  memberCount: number;
  refreshedAt: Date;
  vector: number[];
}

const toCohort = (o: { properties: CohortProps; vectors?: Record<string, unknown> }): Cohort => {
  const p = o.properties;
  return {
    key: String(p.key),
    level: p.level as Cohort["level"],
    memberCount: Number(p.memberCount ?? 0),
    refreshedAt: new Date(p.refreshedAt),
    vector: (o.vectors?.default as number[] | undefined) ?? [],
  };
};

/** Replaces the stored cohorts with these: one batch of upserts, then the ones that no longer exist are deleted. */
export async function replaceCohorts(handle: WeaviateHandle, cohorts: Cohort[]): Promise<void> {
  const stored = collection(handle, "Cohort");
  if (cohorts.length > 0) {
    const res = await stored.data.insertMany(
      cohorts.map(({ vector, ...properties }) => ({
        id: objectId("Cohort", properties.key),
        properties,
        vectors: vector,
      })),
    );
    if (res.hasErrors) throw new Error(`cohort write failed: ${Object.values(res.errors)[0]?.message}`);
  }
  const keep = new Set(cohorts.map((c) => objectId("Cohort", c.key)));
  const stale: string[] = [];
  for await (const o of everyObject((p) => stored.query.fetchObjects({ ...p, returnProperties: [] })))
    if (!keep.has(o.uuid)) stale.push(o.uuid);
  if (stale.length > 0) await stored.data.deleteMany(stored.filter.byId().containsAny(stale));
}

/** The stored cohorts among these keys, with their vectors. */
export async function cohortsByKeys(handle: WeaviateHandle, keys: string[]): Promise<Cohort[]> {
  if (keys.length === 0) return [];
  const stored = collection(handle, "Cohort");
  const res = await stored.query.fetchObjects({
    filters: stored.filter.byProperty("key").containsAny(keys),
    limit: keys.length,
    includeVector: true,
  });
  return res.objects.map(toCohort);
}

/** Every cohort, largest first, for the admin view. */
export async function listCohorts(handle: WeaviateHandle): Promise<Omit<Cohort, "vector">[]> {
  const res = await collection(handle, "Cohort").query.fetchObjects({ limit: 10_000 });
  return res.objects
    .map((o) => ({ ...toCohort(o), vector: undefined }))
    .map(({ vector: _v, ...c }) => c)
    .sort((a, b) => b.memberCount - a.memberCount || a.key.localeCompare(b.key));
}
