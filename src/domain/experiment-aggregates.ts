/**
 * What the event store sums for an experiment report, and what the statistics read: the shapes
 * between events/ (which computes them in SQL) and experiments/ (which tests and renders them).
 *
 * The unit of an experiment is the user (assignment is per user), so every figure is a sum over
 * users of per-user totals. A ratio metric such as CTR (clicks over impressions) gets a
 * delta-method variance from these moments: n, Σx, Σy, Σx², Σy², Σxy over users.
 */

/** Sums over users of one ratio metric's per-user numerator x and denominator y. */
export interface RatioMoments {
  /** Users with a denominator above zero. */
  users: number;
  sumX: number;
  sumY: number;
  sumXX: number;
  sumYY: number;
  sumXY: number;
}

/** Two ratio metrics of one group of users: CTR and mean dwell. */
export interface ArmMoments {
  /** x = the user's clicks, y = the user's item impressions (positions shown). */
  ctr: RatioMoments;
  /** x = the user's dwell milliseconds, y = the user's dwell events. */
  dwell: RatioMoments;
}

/** One arm on one day (UTC, by the time the page was served): that day's users and events only. */
export interface ArmDay extends ArmMoments {
  arm: string;
  /** YYYY-MM-DD. */
  day: string;
  /** Distinct users served a page in this arm that day. */
  usersServed: number;
  pagesServed: number;
}

/**
 * One arm at the end of one day, cumulative since the test started: each user's totals up to and
 * including that day (a look at the test as it stood then).
 */
export interface ArmLook extends ArmMoments {
  arm: string;
  day: string;
  /** Distinct users served a page in this arm up to that day (the sample-ratio check counts these). */
  usersServed: number;
}

/** Item impressions and clicks at one position, split by sponsored and organic items. */
export interface PositionSplit {
  arm: string;
  /** 1-based position on the page as served. */
  position: number;
  sponsored: boolean;
  impressions: number;
  clicks: number;
}

/** Everything a report needs from the store for one experiment. */
export interface ExperimentAggregates {
  experimentId: string;
  days: ArmDay[];
  looks: ArmLook[];
  positions: PositionSplit[];
  /** Events stored for this experiment (all kinds). */
  events: number;
}
