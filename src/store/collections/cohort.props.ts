import type { PropertyTypes } from "./property-types.js";

/** A Cohort object's properties (weaviate/classes/Cohort.json): a cold-start bucket. */
export type CohortProps = {
  key: string;
  /** interest, app or country. */
  level: string;
  memberCount: number;
  refreshedAt: Date;
};

export const COHORT_PROPERTIES = {
  key: "text",
  level: "text",
  memberCount: "int",
  refreshedAt: "date",
} as const satisfies PropertyTypes<CohortProps>;
