import type { PropertyTypes } from "./property-types.js";

/** A Curation object's properties (weaviate/classes/Curation.json): one admin block or sponsored slot. */
export type CurationProps = {
  /** blockCreator, blockVideo, blockHashtag or sponsored. */
  kind: string;
  value: string;
  position: number;
  createdBy: string;
  createdAt: Date;
};

export const CURATION_PROPERTIES = {
  kind: "text",
  value: "text",
  position: "int",
  createdBy: "text",
  createdAt: "date",
} as const satisfies PropertyTypes<CurationProps>;
