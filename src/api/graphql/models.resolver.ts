import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { ModelChange, ModelView } from "../services.js";
import type { GraphQLContext } from "./context.js";
import {
  ModelActivated,
  ModelChangeResult,
  ModelKindChoice,
  ModelRefusalCode,
  ModelRefused,
  RegisteredModel,
  SwitchableModelKind,
} from "./model.type.js";

const toModel = (m: ModelView): RegisteredModel =>
  Object.assign(new RegisteredModel(), {
    ...m,
    kind: m.kind as ModelKindChoice,
    evaluation: Object.entries(m.evaluation).map(([name, value]) => ({ name, value })),
  });

function toChange(change: ModelChange): typeof ModelChangeResult {
  const kind = change.model as SwitchableModelKind;
  if (change.kind === "activated")
    return Object.assign(new ModelActivated(), { kind, id: change.id, previous: change.previous });
  return Object.assign(new ModelRefused(), {
    kind,
    id: change.id,
    code: change.code as ModelRefusalCode,
    reason: change.reason,
    serving: change.serving,
  });
}

/** The model registry. Admin keys only. */
@Authorized("admin")
@Resolver()
export class ModelsResolver {
  @Query(() => [RegisteredModel], {
    description:
      "Every registered encoder, ranker and cross-encoder, newest first within a kind, and which serve. Admin key only.",
  })
  async models(@Ctx() ctx: GraphQLContext): Promise<RegisteredModel[]> {
    return (await ctx.services.models()).map(toModel);
  }

  @Mutation(() => ModelChangeResult, {
    description:
      "Serves a registered ranker or cross-encoder from the next request on, without a restart; recorded in active.json so a restart keeps it. Refused (the serving model stays) when a file is missing or differs from its manifest, it does not load, or it breaks the contract. Admin key only.",
  })
  async activateModel(
    @Ctx() ctx: GraphQLContext,
    @Arg("kind", () => SwitchableModelKind) kind: SwitchableModelKind,
    @Arg("id", () => ID) id: string,
  ): Promise<typeof ModelChangeResult> {
    return toChange(await ctx.services.activateModel(kind, id, ctx.caller.name));
  }

  @Mutation(() => ModelChangeResult, {
    description:
      "Serves what served before the last activation of this kind (none: the fixed blend, or rerank off), the same way as activateModel. Admin key only.",
  })
  async rollbackModel(
    @Ctx() ctx: GraphQLContext,
    @Arg("kind", () => SwitchableModelKind) kind: SwitchableModelKind,
  ): Promise<typeof ModelChangeResult> {
    return toChange(await ctx.services.rollbackModel(kind, ctx.caller.name));
  }
}
