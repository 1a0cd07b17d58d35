import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";

export enum WeaviateMode {
  EMBEDDED = "embedded",
  EXTERNAL = "external",
}
registerEnumType(WeaviateMode, {
  name: "WeaviateMode",
  description: "Whether the service started its own weaviate-server or connects to one (WEAVIATE_URL).",
});

@ObjectType({ description: "Objects stored in one Weaviate class." })
export class ClassCount {
  @Field({ description: "Weaviate class name, e.g. Video." })
  className!: string;

  @Field(() => Int, { description: "Objects in the class." })
  objects!: number;
}

@ObjectType({ description: "The vector store behind the service." })
export class WeaviateStatus {
  @Field({ description: "Weaviate server version." })
  version!: string;

  @Field(() => WeaviateMode, { description: "Embedded or external server." })
  mode!: WeaviateMode;

  @Field(() => [ClassCount], { description: "Object counts per class." })
  counts!: ClassCount[];
}

@ObjectType({
  description: "The text encoder that puts creators, videos, comments and interests in one vector space.",
})
export class EncoderStatus {
  @Field({ description: "Model id, e.g. sentence-transformers/all-MiniLM-L6-v2@onnx-q8." })
  modelId!: string;

  @Field(() => Int, { description: "Vector dimensions." })
  dimensions!: number;

  @Field({ description: "ONNX Runtime execution provider in use: cuda or cpu." })
  executionProvider!: string;

  @Field({
    nullable: true,
    description:
      "Why that provider: how many nodes run on CUDAExecutionProvider, or why CUDA does not serve and what fixes it.",
  })
  executionProviderReason?: string;
}

@ObjectType({ description: "The cross-encoder that reranks the head of each list." })
export class RerankerStatus {
  @Field({ description: "Whether responses are reranked." })
  enabled!: boolean;

  @Field({
    nullable: true,
    description:
      "The serving cross-encoder's registry id (see `models`); when off, the RERANK_MODEL that is missing.",
  })
  modelId?: string;

  @Field({ nullable: true, description: "ONNX Runtime execution provider in use: cuda or cpu." })
  executionProvider?: string;

  @Field({
    nullable: true,
    description:
      "Why that provider: how many nodes run on CUDAExecutionProvider, or why CUDA does not serve and what fixes it.",
  })
  executionProviderReason?: string;

  @Field(() => Int, {
    description: "Milliseconds a request may spend reranking, queueing included (RERANK_BUDGET_MS).",
  })
  budgetMs!: number;

  @Field(() => Float, {
    nullable: true,
    description: "Measured cost of one padded token, in ms: what the budget is divided by.",
  })
  msPerToken?: number;

  @Field({ nullable: true, description: "Why reranking is off, when it is." })
  reason?: string;
}

@ObjectType({ description: "What orders the recalled candidates." })
export class RankerStatusView {
  @Field({ description: "learned (the registry's active ranker, else RANKER_MODEL) or fixed blend." })
  kind!: string;

  @Field({ nullable: true, description: "The serving learned ranker's registry id (see `models`)." })
  modelId?: string;

  @Field({ nullable: true, description: "Why the fixed blend ranks, when it does." })
  reason?: string;
}

@ObjectType({
  description: "The event store (PostgreSQL) that keeps served pages, app events and experiments.",
})
export class EventStoreStatus {
  @Field({ description: "embedded (started by the service), external (EVENTS_DATABASE_URL) or off." })
  mode!: string;

  @Field({ description: "Whether it answers now." })
  ok!: boolean;

  @Field({ nullable: true, description: "Why not, when it does not." })
  detail?: string;
}

@ObjectType({ description: "The experiment that splits traffic now." })
export class RunningExperiment {
  @Field({ description: "The experiment's id." })
  id!: string;

  @Field(() => [String], { description: "Its arms, the control first." })
  arms!: string[];
}

@ObjectType({ description: "What the service runs on, for operators and the explorer." })
export class Status {
  @Field({ description: "Service version (package.json)." })
  version!: string;

  @Field(() => WeaviateStatus, { description: "The vector store: version, mode and object counts." })
  weaviate!: WeaviateStatus;

  @Field(() => EncoderStatus, { description: "The text encoder and where it runs." })
  encoder!: EncoderStatus;

  @Field(() => RerankerStatus, { description: "The cross-encoder stage and where it runs." })
  reranker!: RerankerStatus;

  @Field(() => RankerStatusView, { description: "The ranker: learned, or the fixed blend." })
  ranker!: RankerStatusView;

  @Field(() => EventStoreStatus, { description: "Where app events and experiments are kept." })
  events!: EventStoreStatus;

  @Field(() => RunningExperiment, { nullable: true, description: "The running experiment, if any." })
  experiment?: RunningExperiment;
}
