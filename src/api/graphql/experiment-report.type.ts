import { Field, Float, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "A 95% interval." })
export class Interval {
  @Field(() => Float, { description: "Lower bound." })
  low!: number;

  @Field(() => Float, { description: "Upper bound." })
  high!: number;
}

@ObjectType({
  description: "A per-user ratio metric (CTR, mean dwell) of one arm, with its delta-method interval.",
})
export class RatioSummary {
  @Field(() => Float, { description: "The ratio: clicks per item impression, or dwell ms per dwell event." })
  value!: number;

  @Field(() => Interval, { description: "95% confidence interval (users are the unit)." })
  ci!: Interval;

  @Field(() => Int, { description: "Users with a denominator above zero." })
  users!: number;
}

@ObjectType({ description: "One arm on one day (UTC, by when pages were served)." })
export class ArmDay {
  @Field({ description: "The arm." })
  arm!: string;

  @Field({ description: "YYYY-MM-DD." })
  day!: string;

  @Field(() => Int, { description: "1 on the day the test started." })
  dayNumber!: number;

  @Field(() => Int, { description: "Distinct users served a page." })
  usersServed!: number;

  @Field(() => Int, { description: "Item impressions reported by the apps." })
  itemImpressions!: number;

  @Field(() => Int, { description: "Clicks reported by the apps." })
  clicks!: number;

  @Field(() => RatioSummary, { nullable: true, description: "Click-through rate; null without impressions." })
  ctr?: RatioSummary;

  @Field(() => RatioSummary, { nullable: true, description: "Mean dwell in ms; null without dwell events." })
  meanDwellMs?: RatioSummary;
}

@ObjectType({ description: "One arm since the start of the test (the latest daily look)." })
export class ArmTotals {
  @Field({ description: "The arm." })
  arm!: string;

  @Field(() => Float, { description: "Its share of the users by design." })
  weight!: number;

  @Field(() => Int, { description: "Distinct users served a page." })
  usersServed!: number;

  @Field(() => Int, { description: "Pages served." })
  pagesServed!: number;

  @Field(() => Int, { description: "Item impressions reported." })
  itemImpressions!: number;

  @Field(() => Int, { description: "Clicks reported." })
  clicks!: number;

  @Field(() => RatioSummary, { nullable: true, description: "Click-through rate." })
  ctr?: RatioSummary;

  @Field(() => RatioSummary, { nullable: true, description: "Mean dwell in ms." })
  meanDwellMs?: RatioSummary;
}

@ObjectType({ description: "Treatment minus control on one metric, as of the latest look." })
export class MetricComparison {
  @Field(() => Float, { nullable: true, description: "The control's value." })
  control?: number;

  @Field(() => Float, { nullable: true, description: "The treatment's value." })
  treatment?: number;

  @Field(() => Float, { nullable: true, description: "Treatment minus control." })
  absoluteDifference?: number;

  @Field(() => Float, { nullable: true, description: "The difference as a share of the control." })
  relativeDifference?: number;

  @Field(() => Interval, {
    nullable: true,
    description: "Always-valid 95% confidence sequence for the difference: valid however often it is read.",
  })
  confidenceSequence?: Interval;

  @Field(() => Float, {
    nullable: true,
    description: "Always-valid p-value (mSPRT): valid however often it is read. Below alpha: a difference.",
  })
  alwaysValidP?: number;

  @Field(() => Float, {
    nullable: true,
    description: "The plain z-test p-value: NOT valid when the test is looked at daily; for reference only.",
  })
  fixedHorizonP?: number;

  @Field({ nullable: true, description: "The first day the always-valid p fell below alpha." })
  decidedOnDay?: string;

  @Field(() => Int, { nullable: true, description: "That day's number (1 = the first day)." })
  decidedOnDayNumber?: number;
}

@ObjectType({ description: "One treatment arm against the control." })
export class ArmComparison {
  @Field({ description: "The treatment arm." })
  arm!: string;

  @Field({ description: "The control arm." })
  control!: string;

  @Field(() => MetricComparison, { description: "Click-through rate." })
  ctr!: MetricComparison;

  @Field(() => MetricComparison, { description: "Mean dwell in ms." })
  meanDwellMs!: MetricComparison;
}

@ObjectType({ description: "Users per arm against the designed split (sample-ratio mismatch)." })
export class SrmCheck {
  @Field(() => Float, { nullable: true, description: "Chi-square goodness-of-fit p-value." })
  pValue?: number;

  @Field({ description: "p < 0.001: assignment or logging is broken; do not trust the test." })
  mismatch!: boolean;
}

@ObjectType({ description: "A click-through rate at one position, with its 95% interval." })
export class PositionRate {
  @Field(() => Float, { description: "Clicks per item impression." })
  value!: number;

  @Field(() => Interval, { description: "95% interval (impressions treated as independent)." })
  ci!: Interval;

  @Field(() => Int, { description: "Item impressions." })
  impressions!: number;

  @Field(() => Int, { description: "Clicks." })
  clicks!: number;
}

@ObjectType({ description: "Sponsored against organic items at the same position of one arm." })
export class PositionRow {
  @Field({ description: "The arm." })
  arm!: string;

  @Field(() => Int, { description: "1-based position on the page." })
  position!: number;

  @Field(() => PositionRate, { nullable: true, description: "Sponsored items there." })
  sponsored?: PositionRate;

  @Field(() => PositionRate, { nullable: true, description: "Organic items there." })
  organic?: PositionRate;
}

@ObjectType({ description: "Something that limits what the report can say." })
export class ReportWarning {
  @Field({
    description: "too-few-days, sample-ratio-mismatch, few-users, no-data, unknown-arm, looks-disagree.",
  })
  code!: string;

  @Field({ nullable: true, description: "The arm it is about." })
  arm?: string;

  @Field({ description: "In plain words." })
  message!: string;
}

@ObjectType({
  description: "How an experiment stands: per arm and day, the difference, its checks and a verdict.",
})
export class ExperimentReport {
  @Field({ description: "The experiment." })
  experimentId!: string;

  @Field({ description: "running or stopped." })
  status!: string;

  @Field({ description: "When it started (ISO 8601)." })
  startedAt!: string;

  @Field(() => Int, { description: "Whole days since the start (or until the stop)." })
  fullDays!: number;

  @Field({ description: "The verdict in plain words." })
  verdict!: string;

  @Field(() => [ReportWarning], { description: "What limits the verdict." })
  warnings!: ReportWarning[];

  @Field(() => [ArmTotals], { description: "Each arm since the start." })
  totals!: ArmTotals[];

  @Field(() => [ArmDay], { description: "Each arm on each day." })
  days!: ArmDay[];

  @Field(() => [ArmComparison], { description: "Each treatment against the control." })
  comparisons!: ArmComparison[];

  @Field(() => SrmCheck, { description: "The sample-ratio check." })
  srm!: SrmCheck;

  @Field(() => [PositionRow], { description: "Sponsored against organic CTR per position." })
  positions!: PositionRow[];

  @Field(() => [String], { description: "How to read the figures." })
  notes!: string[];

  @Field(() => Float, { description: "Events stored for this experiment." })
  events!: number;

  @Field({ description: "The whole report as one self-contained HTML page with plots (works offline)." })
  html!: string;
}
