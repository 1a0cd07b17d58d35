import { Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { CohortRefreshResult, CohortView } from "./cohort.type.js";
import type { GraphQLContext } from "./context.js";

/** Cold-start cohorts. Admin keys only. */
@Authorized("admin")
@Resolver()
export class CohortResolver {
  @Query(() => [CohortView], { description: "Every stored cohort, largest first. Admin key only." })
  async cohorts(@Ctx() ctx: GraphQLContext): Promise<CohortView[]> {
    return (await ctx.services.cohorts()).map((c) => Object.assign(new CohortView(), c));
  }

  @Mutation(() => CohortRefreshResult, {
    description:
      "Recomputes every cohort's vector now (the job also runs on COHORT_REFRESH_SCHEDULE). Admin key only.",
  })
  async refreshCohorts(@Ctx() ctx: GraphQLContext): Promise<CohortRefreshResult> {
    return Object.assign(new CohortRefreshResult(), await ctx.services.refreshCohorts());
  }
}
