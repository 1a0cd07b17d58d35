import { createUnionType, Field, Float, ID, ObjectType, registerEnumType } from "type-graphql";

export enum ModelKindChoice {
  ENCODER = "encoder",
  RANKER = "ranker",
  CROSS_ENCODER = "cross-encoder",
}
registerEnumType(ModelKindChoice, {
  name: "ModelKind",
  description: "What a registered model does.",
  valuesConfig: {
    ENCODER: {
      description: "Text to the 384-d vector every stored vector comes from (listed; not switched here).",
    },
    RANKER: { description: "The learned ranker (npm run train:ranker)." },
    CROSS_ENCODER: { description: "The cross-encoder of the rerank stage." },
  },
});

export enum SwitchableModelKind {
  RANKER = "ranker",
  CROSS_ENCODER = "cross-encoder",
}
registerEnumType(SwitchableModelKind, {
  name: "SwitchableModelKind",
  description: "The kinds that activateModel and rollbackModel switch while the service runs.",
});

export enum ModelRefusalCode {
  NOT_FOUND = "NOT_FOUND",
  FILE_MISSING = "FILE_MISSING",
  HASH_MISMATCH = "HASH_MISMATCH",
  LOAD_FAILED = "LOAD_FAILED",
  CONTRACT_BROKEN = "CONTRACT_BROKEN",
  NOTHING_TO_ROLL_BACK = "NOTHING_TO_ROLL_BACK",
}
registerEnumType(ModelRefusalCode, {
  name: "ModelRefusalCode",
  description: "Why a model was refused.",
  valuesConfig: {
    NOT_FOUND: { description: "No registry entry of that kind and id." },
    FILE_MISSING: { description: "A file its manifest lists is not there." },
    HASH_MISMATCH: { description: "A file differs from its manifest's sha256." },
    LOAD_FAILED: { description: "onnxruntime could not load it." },
    CONTRACT_BROKEN: {
      description:
        "It loads but does not fit this code: unknown or misordered feature names, other inputs, outputs or dimensions, or an invalid manifest.",
    },
    NOTHING_TO_ROLL_BACK: { description: "No earlier model of this kind is recorded." },
  },
});

@ObjectType({ description: "One file of a model, as its manifest records it." })
export class ModelFileView {
  @Field({ description: "Relative to the model's folder, e.g. model.onnx." })
  name!: string;

  @Field({ description: "sha256 of its bytes, lower-case hex; checked before every load." })
  sha256!: string;

  @Field(() => Float, { description: "Size in bytes." })
  bytes!: number;
}

@ObjectType({ description: "One evaluation figure from the model's manifest." })
export class ModelFigure {
  @Field({ description: "e.g. validationMeanUserAuc.gradient-boosting, validationByKind.hard." })
  name!: string;

  @Field(() => Float, { description: "The figure, e.g. a mean per-user ROC AUC." })
  value!: number;
}

@ObjectType({ description: "A versioned model artefact in the registry (MODEL_REGISTRY_DIR)." })
export class RegisteredModel {
  @Field(() => ModelKindChoice, { description: "What it does." })
  kind!: ModelKindChoice;

  @Field(() => ID, { description: "Unique within its kind; what activateModel takes." })
  id!: string;

  @Field({ description: "When it was trained, exported or provisioned (ISO 8601)." })
  created!: string;

  @Field({ description: "In words: the data it was fitted on, or where it came from." })
  trainedOn!: string;

  @Field(() => [ModelFigure], {
    description: "Its evaluation figures; empty when its trainer recorded none.",
  })
  evaluation!: ModelFigure[];

  @Field(() => [ModelFileView], { description: "Its files and their hashes." })
  files!: ModelFileView[];

  @Field({ description: "Whether it serves now in this process." })
  serving!: boolean;

  @Field(() => [String], {
    description:
      "experiment/arm of the running experiment that serve it; empty outside one or when not serving.",
  })
  arms!: string[];
}

@ObjectType({ description: "The model now serves; requests already running finish on the previous one." })
export class ModelActivated {
  @Field(() => SwitchableModelKind, { description: "The kind switched." })
  kind!: SwitchableModelKind;

  @Field(() => ID, {
    nullable: true,
    description: "What serves now; null: none (fixed blend, or rerank off).",
  })
  id?: string;

  @Field(() => ID, { nullable: true, description: "What served before; null: none." })
  previous?: string;
}

@ObjectType({ description: "The model was refused; the serving one stays." })
export class ModelRefused {
  @Field(() => SwitchableModelKind, { description: "The kind asked for." })
  kind!: SwitchableModelKind;

  @Field(() => ID, {
    nullable: true,
    description: "The model asked for (null for a rollback with nothing behind).",
  })
  id?: string;

  @Field(() => ModelRefusalCode, { description: "Why, as a code." })
  code!: ModelRefusalCode;

  @Field({ description: "What failed and how to fix it." })
  reason!: string;

  @Field(() => ID, { nullable: true, description: "What still serves; null: none." })
  serving?: string;
}

export const ModelChangeResult = createUnionType({
  name: "ModelChangeResult",
  description: "The model activated, or why not.",
  types: () => [ModelActivated, ModelRefused] as const,
});

@ObjectType({ description: "The registry ids of the models a page was ranked with." })
export class ServingModels {
  @Field(() => ID, {
    nullable: true,
    description: "The learned ranker in place when the request began; null: the fixed blend.",
  })
  ranker?: string;

  @Field(() => ID, { nullable: true, description: "The cross-encoder in place; null: rerank off." })
  crossEncoder?: string;
}
