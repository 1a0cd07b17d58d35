import { objectId } from "./object-ids.js";
import type { WeaviateHandle } from "./weaviate-handle.js";

export interface UserProfile {
  userId: string;
  country: string;
  appVersion: string;
  interests: string[];
  onboardedAt: Date;
}

const toProfile = (p: Record<string, unknown>): UserProfile => ({
  userId: String(p.userId),
  country: String(p.country ?? ""),
  appVersion: String(p.appVersion ?? ""),
  interests: (p.interests as string[] | undefined) ?? [],
  onboardedAt: new Date(p.onboardedAt as string),
});

/** Records (or replaces) a user's onboarding answers with the embedding of their interests. */
export async function putProfile(handle: WeaviateHandle, profile: UserProfile, vector: number[]): Promise<void> {
  const collection = handle.client.collections.get("UserProfile");
  const id = objectId("UserProfile", profile.userId);
  const properties = { ...profile } as never;
  if (await collection.data.exists(id)) await collection.data.replace({ id, properties, vectors: vector });
  else await collection.data.insert({ id, properties, vectors: vector });
}

/** A user's onboarding answers and interest vector, or undefined when they never onboarded. */
export async function getProfile(handle: WeaviateHandle, userId: string): Promise<{ profile: UserProfile; vector?: number[] } | undefined> {
  const o = await handle.client.collections.get("UserProfile").query.fetchObjectById(objectId("UserProfile", userId), { includeVector: true });
  if (!o) return undefined;
  const vector = o.vectors?.default as number[] | undefined;
  return { profile: toProfile(o.properties as Record<string, unknown>), vector: vector?.length ? vector : undefined };
}

/** Every onboarded user, streamed (the cohort job reads them all). */
export async function* allProfiles(handle: WeaviateHandle): AsyncGenerator<UserProfile> {
  for await (const o of handle.client.collections.get("UserProfile").iterator()) yield toProfile(o.properties as Record<string, unknown>);
}
