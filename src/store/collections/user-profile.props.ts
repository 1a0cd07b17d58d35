import type { PropertyTypes } from "./property-types.js";

/** A UserProfile object's properties (weaviate/classes/UserProfile.json): a user's onboarding answers. */
export type UserProfileProps = {
  userId: string;
  country: string;
  appVersion: string;
  interests: string[];
  onboardedAt: Date;
};

export const USER_PROFILE_PROPERTIES = {
  userId: "text",
  country: "text",
  appVersion: "text",
  interests: "text[]",
  onboardedAt: "date",
} as const satisfies PropertyTypes<UserProfileProps>;
