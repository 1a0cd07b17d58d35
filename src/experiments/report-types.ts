/**
 * The shape of an experiment report: plain data (numbers, strings, booleans, arrays, ISO dates), so
 * the API can map it field by field. A metric with no data is null, never NaN.
 */

export interface Interval {
  low: number;
  high: number;
}

/** A ratio metric of one arm with its 95% delta-method interval. */
export interface RatioSummary {
  value: number;
  ci: Interval;
  standardError: number;
  /** Users with a denominator above zero (impressions for CTR, dwell events for dwell). */
  users: number;
}

export interface ArmDayRow {
  arm: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  /** 1 on the day the experiment started. */
  dayNumber: number;
  usersServed: number;
  pagesServed: number;
  itemImpressions: number;
  clicks: number;
  dwellEvents: number;
  ctr: RatioSummary | null;
  meanDwellMs: RatioSummary | null;
}

/** One arm as it stood at the latest look (cumulative since the start). */
export interface ArmTotals {
  arm: string;
  weight: number;
  lookDay: string | null;
  usersServed: number;
  pagesServed: number;
  itemImpressions: number;
  clicks: number;
  dwellEvents: number;
  ctr: RatioSummary | null;
  meanDwellMs: RatioSummary | null;
}

/** A treatment-minus-control difference as it stood at one daily look. */
export interface LookPoint {
  day: string;
  dayNumber: number;
  control: number | null;
  treatment: number | null;
  absoluteDifference: number | null;
  /** absoluteDifference / control. */
  relativeDifference: number | null;
  /** The always-valid 95% confidence sequence for the absolute difference, as of this look. */
  confidenceSequence: Interval | null;
  /** confidenceSequence / control (the control's uncertainty in the divisor is left out). */
  relativeConfidenceSequence: Interval | null;
  /** Running minimum of the mSPRT p-values: valid however often it is read. */
  alwaysValidP: number | null;
  /** The plain z-test p at this look: NOT valid under daily peeking, for reference only. */
  fixedHorizonP: number | null;
}

export type ComparedMetric = "ctr" | "meanDwellMs";

/** One metric of one treatment against the control, at the latest look plus its history. */
export interface MetricComparison extends Omit<LookPoint, "day" | "dayNumber"> {
  metric: ComparedMetric;
  standardError: number | null;
  /** The first look day whose always-valid p fell below alpha, or null. */
  decidedOnDay: string | null;
  decidedOnDayNumber: number | null;
  /**
   * Some look's interval missed the sequence before it entirely: the effect moved during the test,
   * and the sequence restarted from that look.
   */
  looksDisagree: boolean;
  /** The mixture spread of the mSPRT for this metric (in the metric's units), fixed at the first look. */
  tau: number | null;
  history: LookPoint[];
}

export interface ArmComparison {
  arm: string;
  control: string;
  ctr: MetricComparison;
  meanDwellMs: MetricComparison;
}

export interface SrmArm {
  arm: string;
  expectedShare: number;
  observedShare: number | null;
  users: number;
  expectedUsers: number;
}

export interface SrmCheck {
  /** The look the check counts users at (the latest). */
  day: string | null;
  chiSquare: number | null;
  pValue: number | null;
  /** p < 0.001. */
  mismatch: boolean;
  arms: SrmArm[];
}

export interface PositionRate {
  value: number;
  ci: Interval;
  impressions: number;
  clicks: number;
}

/** Sponsored against organic CTR at one position of one arm (impressions treated as independent). */
export interface PositionRow {
  arm: string;
  position: number;
  sponsored: PositionRate | null;
  organic: PositionRate | null;
  sponsoredMinusOrganic: { value: number; ci: Interval } | null;
}

export type ReportWarningCode =
  "too-few-days" | "sample-ratio-mismatch" | "few-users" | "no-data" | "unknown-arm" | "looks-disagree";

export interface ReportWarning {
  code: ReportWarningCode;
  /** The arm it is about, when it is about one. */
  arm: string | null;
  message: string;
}

export interface ExperimentReport {
  experimentId: string;
  description: string;
  status: "running" | "stopped";
  createdBy: string;
  startedAt: string;
  stoppedAt: string | null;
  generatedAt: string;
  /** Whole days from the start to now (or to the stop). */
  fullDays: number;
  minimumDays: number;
  alpha: number;
  /** τ as a share of the control's value at the first look. */
  relativeTau: number;
  controlArm: string;
  arms: { name: string; weight: number }[];
  days: ArmDayRow[];
  totals: ArmTotals[];
  comparisons: ArmComparison[];
  srm: SrmCheck;
  positions: PositionRow[];
  warnings: ReportWarning[];
  /** One or two sentences for an admin. */
  verdict: string;
  /** How to read the figures: what is valid under peeking, and what is only approximate. */
  notes: string[];
  events: number;
}
