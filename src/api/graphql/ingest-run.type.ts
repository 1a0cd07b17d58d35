import { Field, GraphQLISODateTime, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "One ingestion run: what started it, how it ended and what it wrote." })
export class IngestRun {
  @Field({ description: "Run id." })
  runId!: string;

  @Field({ description: "Where the data came from: a dump folder or the TikLiveAPI base URL." })
  source!: string;

  @Field({
    description: "What started the run: cli, startup:demo-catalogue, schedule:posts, schedule:comments.",
  })
  trigger!: string;

  @Field({
    description:
      "running, succeeded, partial (some items failed; see errors), failed, or interrupted (the process died mid-run).",
  })
  status!: string;

  @Field(() => GraphQLISODateTime, { description: "When the run started." })
  startedAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "When the run ended; null while it runs." })
  finishedAt?: Date;

  @Field(() => Int, { description: "Creators read." })
  creators!: number;

  @Field(() => Int, { description: "Videos read." })
  videos!: number;

  @Field(() => Int, { description: "Comments read." })
  comments!: number;

  @Field(() => Int, { description: "Texts embedded (unchanged texts are not embedded again)." })
  embedded!: number;

  @Field(() => Int, { description: "Errors in the run." })
  errorCount!: number;

  @Field(() => [String], { description: "The first errors of the run." })
  errors!: string[];
}
