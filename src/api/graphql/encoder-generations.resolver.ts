import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { GenerationChange, GenerationsStatus } from "../services.js";
import type { GraphQLContext } from "./context.js";
import { EncoderGenerationChange, EncoderGenerations } from "./encoder-generation.type.js";

const toStatus = (s: GenerationsStatus): EncoderGenerations =>
  Object.assign(new EncoderGenerations(), {
    ...s,
    generations: s.generations.map((g) => ({
      ...g,
      progress: Object.entries(g.progress).map(([className, p]) => ({ className, ...p! })),
      verifiedCounts: Object.entries(g.verified?.counts ?? {}).map(([className, [serving, built]]) => ({
        className,
        serving,
        built,
      })),
      centroidsChecked: g.verified?.centroidsChecked,
    })),
  });

const toChange = (c: GenerationChange): EncoderGenerationChange =>
  Object.assign(new EncoderGenerationChange(), { outcome: c.kind, ...c });

/** Encoder generations (docs/encoder.md#encoder-generations). Admin keys only. */
@Authorized("admin")
@Resolver()
export class EncoderGenerationsResolver {
  @Query(() => EncoderGenerations, {
    description:
      "The store's encoder generations: serving, building (progress per class), retired until dropAfter. Admin key only.",
  })
  async encoderGenerations(@Ctx() ctx: GraphQLContext): Promise<EncoderGenerations> {
    return toStatus(await ctx.services.encoderGenerations());
  }

  @Mutation(() => EncoderGenerationChange, {
    description:
      "Re-embeds every vector-bearing class with this encoder (an EMBED_MODEL value) into a new generation in the background while the current one serves; it switches in once verified. Admin key only.",
  })
  async rebuildEncoderGeneration(
    @Ctx() ctx: GraphQLContext,
    @Arg("model") model: string,
  ): Promise<EncoderGenerationChange> {
    return toChange(await ctx.services.rebuildEncoderGeneration(model, ctx.caller.name));
  }

  @Mutation(() => EncoderGenerationChange, {
    description:
      "Switches back to the generation that served before (caught up with writes since), while its grace period keeps it. Admin key only.",
  })
  async rollbackEncoderGeneration(@Ctx() ctx: GraphQLContext): Promise<EncoderGenerationChange> {
    return toChange(await ctx.services.rollbackEncoderGeneration(ctx.caller.name));
  }
}
