/** What a user's bucket is made of: from their onboarding answers, or the request's context. */
export interface BucketSignals {
  country?: string;
  appVersion?: string;
  interests?: string[];
}

export interface CohortKey {
  key: string;
  level: "interest" | "app" | "country";
}

/**
 * The buckets a user falls in, finest first: country + app major version + first interest, then
 * country + app major version, then country. No country, no bucket (the chain falls through).
 */
export function cohortKeys(s: BucketSignals): CohortKey[] {
  const country = s.country?.trim().toUpperCase();
  if (!country) return [];
  const major = /^\s*v?(\d+)/i.exec(s.appVersion ?? "")?.[1];
  const interest = s.interests?.map(normaliseInterest).find(Boolean);
  const keys: CohortKey[] = [];
  if (major && interest) keys.push({ key: `${country}|${major}|${interest}`, level: "interest" });
  if (major) keys.push({ key: `${country}|${major}`, level: "app" });
  keys.push({ key: country, level: "country" });
  return keys;
}

export const normaliseInterest = (s: string) => s.trim().toLowerCase().replace(/\s+/g, " ");
