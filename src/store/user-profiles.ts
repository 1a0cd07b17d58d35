import { everyObject } from "./collections/every-object.js";
import { collection } from "./collections/typed-collections.js";
import type { UserProfileProps } from "./collections/user-profile.props.js";
import { objectId } from "./object-ids.js";
import type { WeaviateHandle } from "./weaviate-handle.js";

export interface UserProfile {
  userId: string;
  country: string;
  appVersion: string;
  interests: string[];
  onboardedAt: Date;
}

const toProfile = (p: UserProfileProps): UserProfile => ({
  userId: String(p.userId),
  country: String(p.country ?? ""),
  appVersion: String(p.appVersion ?? ""),
  interests: p.interests ?? [],
  onboardedAt: new Date(p.onboardedAt),
});

/** Records (or replaces) a user's onboarding answers with the embedding of their interests. */
export async function putProfile(
  handle: WeaviateHandle,
  profile: UserProfile,
  vector: number[],
): Promise<void> {
  const profiles = collection(handle, "UserProfile");
  const id = objectId("UserProfile", profile.userId);
  const properties = { ...profile };
  if (await profiles.data.exists(id)) await profiles.data.replace({ id, properties, vectors: vector });
  else await profiles.data.insert({ id, properties, vectors: vector });
}

/** A user's onboarding answers and interest vector, or undefined when they never onboarded. */
export async function getProfile(
  handle: WeaviateHandle,
  userId: string,
): Promise<{ profile: UserProfile; vector?: number[] } | undefined> {
  const o = await collection(handle, "UserProfile").query.fetchObjectById(objectId("UserProfile", userId), {
    includeVector: true,
  });
  if (!o) return undefined;
  const vector = o.vectors?.default as number[] | undefined;
  return { profile: toProfile(o.properties), vector: vector?.length ? vector : undefined };
}

/** Every onboarded user, streamed (the cohort job reads them all). */
export async function* allProfiles(handle: WeaviateHandle): AsyncGenerator<UserProfile> {
  for await (const o of everyObject((p) => collection(handle, "UserProfile").query.fetchObjects(p)))
    yield toProfile(o.properties);
}
