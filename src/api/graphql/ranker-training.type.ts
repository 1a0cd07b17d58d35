import { Field, Float, ID, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "Whether an admin-triggered ranker training run started." })
export class RankerTrainingTrigger {
  @Field({ description: "True when a run started; it then shows in rankerTrainingRuns." })
  started!: boolean;

  @Field({ description: "What happened, or why nothing did (a run in progress, an API replica)." })
  message!: string;

  @Field(() => ID, { nullable: true, description: "The run that started, or the one in progress." })
  runId!: string | null;
}

@ObjectType({ description: "One negative kind's mean per-user ROC AUC on the users held out from training." })
export class RankerTrainingFigure {
  @Field({ description: "random, hard (the user's past creators) or matched (posted within 14 days)." })
  kind!: string;

  @Field(() => Int, { description: "Held-out users with a positive and a negative of this kind." })
  users!: number;

  @Field(() => Float, { description: "The candidate's mean per-user AUC." })
  candidate!: number;

  @Field(() => Float, { description: "The serving model's (its learned ranker, or the fixed blend)." })
  serving!: number;

  @Field(() => Float, { description: "Standard error of the mean per-user difference (paired)." })
  differenceStdError!: number;

  @Field({ description: "candidate >= serving - margin." })
  passed!: boolean;
}

@ObjectType({ description: "Users or rows of a run, per side of the user partition." })
export class RankerTrainingCounts {
  @Field(() => Int, { nullable: true, description: "Users with a past and a held-out future." })
  eligible?: number;

  @Field(() => Int, { description: "The train half: what the candidate was fitted on." })
  train!: number;

  @Field(() => Int, { description: "The held-out half: what the gate compares on." })
  heldOut!: number;
}

@ObjectType({ description: "A ranker training run from the live store, as recorded." })
export class RankerTrainingRunView {
  @Field(() => ID, { description: "run-<start time>: names the run in the logs and the record." })
  id!: string;

  @Field({ description: "schedule (RANKER_TRAINING_SCHEDULE) or admin (trainRanker)." })
  trigger!: string;

  @Field({ description: "The API key's name, or schedule." })
  by!: string;

  @Field({ description: "When it started (ISO 8601)." })
  startedAt!: string;

  @Field(() => String, { nullable: true, description: "When it ended (ISO 8601); null while it runs." })
  finishedAt!: string | null;

  @Field({ description: "running, promoted, refused, skipped (not enough users) or failed." })
  decision!: string;

  @Field({ description: "Why: the gate's figures in words, the missing users, or the error." })
  reason!: string;

  @Field(() => String, {
    nullable: true,
    description: "The ranker serving when it began; null: the fixed blend.",
  })
  servingBefore!: string | null;

  @Field(() => String, { nullable: true, description: "The promoted candidate's registry id." })
  candidate!: string | null;

  @Field(() => Float, { description: "RANKER_PROMOTION_MARGIN when it ran." })
  margin!: number;

  @Field(() => RankerTrainingCounts, { description: "Users with a past, per half of the user partition." })
  users!: RankerTrainingCounts;

  @Field(() => RankerTrainingCounts, {
    description: "Labelled rows (positives and negatives of all kinds) per half.",
  })
  rows!: RankerTrainingCounts;

  @Field(() => [RankerTrainingFigure], { description: "Per negative kind; empty when it did not train." })
  figures!: RankerTrainingFigure[];
}
