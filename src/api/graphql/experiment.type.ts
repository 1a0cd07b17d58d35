import {
  Field,
  Float,
  ID,
  InputType,
  Int,
  ObjectType,
  createUnionType,
  registerEnumType,
} from "type-graphql";

export enum RankerChoice {
  LEARNED = "learned",
  FIXED = "fixed",
}
registerEnumType(RankerChoice, {
  name: "RankerChoice",
  description: "Which ranker an arm serves with.",
  valuesConfig: {
    LEARNED: { description: "The served learned ranker (the fixed blend when none is loaded)." },
    FIXED: { description: "The fixed blend." },
  },
});

@ObjectType({ description: "Serving settings an arm overrides; null: the service's own setting." })
export class ArmSettings {
  @Field(() => RankerChoice, { nullable: true, description: "The ranker the arm serves with." })
  ranker?: RankerChoice;

  @Field({ nullable: true, description: "false: no cross-encoder." })
  rerank?: boolean;

  @Field(() => Float, { nullable: true, description: "The cross-encoder's share of the head's order, 0-1." })
  rerankWeight?: number;

  @Field(() => Int, { nullable: true, description: "The diversity quota: most items per creator per page." })
  maxPerCreator?: number;

  @Field(() => Int, { nullable: true, description: "Candidates recalled from Weaviate (10-1000)." })
  recallSize?: number;
}

@ObjectType({ description: "One arm of an experiment." })
export class ExperimentArm {
  @Field({ description: "The first arm is the control." })
  name!: string;

  @Field(() => Float, { description: "Share of the users, 0-1." })
  weight!: number;

  @Field(() => ArmSettings, { description: "What the arm changes about serving." })
  settings!: ArmSettings;
}

@ObjectType({
  description: "An online experiment: users are split between arms by a salted hash of their id.",
})
export class Experiment {
  @Field(() => ID, { description: "The experiment's id, never reused." })
  id!: string;

  @Field({ description: "What it tests, in the admin's words." })
  description!: string;

  @Field({ description: "running or stopped." })
  status!: string;

  @Field({ description: "config, or the API key name of the admin who started it." })
  createdBy!: string;

  @Field({ description: "When it started splitting traffic." })
  startedAt!: Date;

  @Field({ nullable: true, description: "When it was stopped; null while it runs." })
  stoppedAt?: Date;

  @Field(() => [ExperimentArm], { description: "Its arms, the control first." })
  arms!: ExperimentArm[];
}

@InputType({ description: "Serving settings for an arm; leave a field out to keep the service's own." })
export class ArmSettingsInput {
  @Field(() => RankerChoice, { nullable: true, description: "The ranker the arm serves with." })
  ranker?: RankerChoice;

  @Field({ nullable: true, description: "false: no cross-encoder for this arm." })
  rerank?: boolean;

  @Field(() => Float, { nullable: true, description: "The cross-encoder's share of the head's order, 0-1." })
  rerankWeight?: number;

  @Field(() => Int, { nullable: true, description: "Most items per creator per page, 1-50." })
  maxPerCreator?: number;

  @Field(() => Int, { nullable: true, description: "Candidates recalled from Weaviate, 10-1000." })
  recallSize?: number;
}

@InputType({ description: "One arm of a new experiment." })
export class ArmInput {
  @Field({ description: "1-40 letters, digits, '_', '.' or '-'; the first arm is the control." })
  name!: string;

  @Field(() => Float, {
    nullable: true,
    description: "Share of the users; give every arm one (summing to 1) or none (90/10 for two arms).",
  })
  weight?: number;

  @Field(() => ArmSettingsInput, { nullable: true, description: "What the arm changes; none: a control." })
  settings?: ArmSettingsInput;
}

@InputType({
  description: "A new experiment. Its split cannot change once it runs: a new split is a new test.",
})
export class ExperimentInput {
  @Field(() => ID, { description: "1-64 lower-case letters, digits, '_' or '-'; never reused." })
  id!: string;

  @Field({ nullable: true, description: "What it tests, up to 500 characters." })
  description?: string;

  @Field(() => [ArmInput], { description: "2 to 10 arms." })
  arms!: ArmInput[];
}

@ObjectType({ description: "The change was not made." })
export class ExperimentRefused {
  @Field(() => [String], { description: "Every reason, each saying how to fix it." })
  reasons!: string[];
}

@ObjectType({ description: "No experiment has this id." })
export class UnknownExperiment {
  @Field(() => ID, { description: "The id asked for." })
  id!: string;
}

export const ExperimentChangeResult = createUnionType({
  name: "ExperimentChangeResult",
  description: "The experiment as it now stands, or why it did not change.",
  types: () => [Experiment, ExperimentRefused, UnknownExperiment] as const,
});
