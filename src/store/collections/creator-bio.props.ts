import type { PropertyTypes } from "./property-types.js";

/** A CreatorBio object's properties (weaviate/classes/CreatorBio.json). */
export type CreatorBioProps = {
  creatorId: string;
  text: string;
  contentHash: string;
  syncHash: string;
};

export const CREATOR_BIO_PROPERTIES = {
  creatorId: "text",
  text: "text",
  contentHash: "text",
  syncHash: "text",
} as const satisfies PropertyTypes<CreatorBioProps>;
