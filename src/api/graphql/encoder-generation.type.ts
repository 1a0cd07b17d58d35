import { Field, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "How far a building generation's copy of one class has come." })
export class GenerationClassProgress {
  @Field({ description: "The logical class (Video, Comment, CreatorBio, ...)." })
  className!: string;

  @Field(() => Int, { description: "Objects copied and re-embedded so far." })
  copied!: number;

  @Field({ description: "Whether the class's copy pass is finished (catch-up and verification follow)." })
  done!: boolean;
}

@ObjectType({ description: "One verified class count: the serving generation's and the new one's." })
export class GenerationCount {
  @Field({ description: "The logical class." })
  className!: string;

  @Field(() => Int, { description: "Objects in the generation that served while it was built." })
  serving!: number;

  @Field(() => Int, { description: "Objects in the new generation." })
  built!: number;
}

@ObjectType({
  description:
    "An encoder generation: every vector-bearing class embedded by one encoder. building, serving, retired (kept until dropAfter for a rollback), dropped or failed.",
})
export class EncoderGeneration {
  @Field(() => Int, {
    description: "Generation id: 1 holds the plain class names, n > 1 the classes <Class>_g<n>.",
  })
  id!: number;

  @Field({ description: "The encoder family its vectors come from." })
  encoder!: string;

  @Field({ description: "building, serving, retired, dropped or failed." })
  state!: string;

  @Field({ description: "When its rebuild started (ISO 8601)." })
  createdAt!: string;

  @Field({ nullable: true, description: "When it last switched in." })
  switchedAt?: string;

  @Field({ nullable: true, description: "When a retired generation's classes are deleted." })
  dropAfter?: string;

  @Field(() => [GenerationClassProgress], {
    description: "Its copy per class (resumed from here after a kill).",
  })
  progress!: GenerationClassProgress[];

  @Field(() => [GenerationCount], { description: "The counts checked before it switched in." })
  verifiedCounts!: GenerationCount[];

  @Field(() => Int, { nullable: true, description: "Centroids checked fresh before the switch." })
  centroidsChecked?: number;

  @Field({ nullable: true, description: "Seconds from the start of its rebuild to its switch." })
  buildSeconds?: number;

  @Field({ nullable: true, description: "Why it failed (the serving generation stayed)." })
  error?: string;
}

@ObjectType({ description: "The store's encoder generations." })
export class EncoderGenerations {
  @Field({ description: "false with an external Weaviate (WEAVIATE_URL): rebuilds are refused there." })
  supported!: boolean;

  @Field(() => Int, { description: "The generation every request is pinned to now." })
  serving!: number;

  @Field(() => [EncoderGeneration], { description: "Every generation the record knows, oldest first." })
  generations!: EncoderGeneration[];
}

@ObjectType({ description: "What a rebuild or rollback did: started, switched, or refused with the reason." })
export class EncoderGenerationChange {
  @Field({ description: "started, switched or refused." })
  outcome!: string;

  @Field(() => Int, { nullable: true, description: "The generation started or switched to." })
  generation?: number;

  @Field({ nullable: true, description: "Its encoder family." })
  encoder?: string;

  @Field({ nullable: true, description: "Why it was refused." })
  reason?: string;
}
