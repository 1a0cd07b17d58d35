/**
 * An online experiment: arms that override serving settings, each with a share of the users.
 * Defined by an admin (persisted in the event store) or by config; a user's arm is fixed by a
 * salted hash of their id for the whole test.
 */

/** What an arm may change about serving; anything unset keeps the service's own setting. */
export interface ArmSettings {
  /** "learned": the served learned ranker (when one is loaded); "fixed": the fixed blend. */
  ranker?: "learned" | "fixed";
  /** false: no cross-encoder for this arm. */
  rerank?: boolean;
  /** The cross-encoder's share of the head's fused order (0-1). */
  rerankWeight?: number;
  /** The diversity quota: most items per creator on a page. */
  maxPerCreator?: number;
  /** Candidates recalled from Weaviate. */
  recallSize?: number;
}

export interface ExperimentArm {
  /** Unique within the experiment; the first arm is the control. */
  name: string;
  /** Share of the traffic, > 0; the weights of an experiment sum to 1. */
  weight: number;
  settings: ArmSettings;
}

export type ExperimentStatus = "running" | "stopped";

export interface Experiment {
  id: string;
  description: string;
  /** Mixed into the assignment hash: a new test reshuffles users. */
  salt: string;
  arms: ExperimentArm[];
  status: ExperimentStatus;
  /** Who made it: "config", or the API key name of the admin. */
  createdBy: string;
  startedAt: Date;
  stoppedAt?: Date;
}

/** The arm that served a request, as pages and the result cache carry it. */
export interface ArmAssignment {
  experimentId: string;
  arm: string;
  settings: ArmSettings;
}
