import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "./context.js";
import { RankerTrainingRunView, RankerTrainingTrigger } from "./ranker-training.type.js";

/** Ranker training from the live store (docs/ranking-and-training.md). Admin keys only. */
@Authorized("admin")
@Resolver()
export class RankerTrainingResolver {
  @Mutation(() => RankerTrainingTrigger, {
    description:
      "Trains a ranker from the live store now, in the background, on the worker; it serves only if it is at least as good as the serving model on every negative kind (within RANKER_PROMOTION_MARGIN). Admin key only.",
  })
  async trainRanker(@Ctx() ctx: GraphQLContext): Promise<RankerTrainingTrigger> {
    return Object.assign(new RankerTrainingTrigger(), await ctx.services.trainRanker(ctx.caller.name));
  }

  @Query(() => [RankerTrainingRunView], {
    description: "Ranker training runs, newest first (a run in progress at the top). Admin key only.",
  })
  async rankerTrainingRuns(
    @Ctx() ctx: GraphQLContext,
    @Arg("first", () => Int, { defaultValue: 10, description: "How many runs, 1 to 100." }) first: number,
  ): Promise<RankerTrainingRunView[]> {
    const runs = await ctx.services.rankerTrainingRuns(Math.min(Math.max(first, 1), 100));
    return runs.map((r) => Object.assign(new RankerTrainingRunView(), r));
  }
}
