import { Arg, Authorized, Ctx, Field, Int, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "./context.js";
import { IngestRun } from "./ingest-run.type.js";

@ObjectType({ description: "Whether an admin-triggered ingestion run started." })
export class IngestTrigger {
  @Field({ description: "True when a run started; it then shows in ingestRuns." })
  started!: boolean;

  @Field({ description: "What happened, or why nothing did." })
  message!: string;
}

@Resolver()
export class IngestRunsResolver {
  @Authorized("admin")
  @Mutation(() => IngestTrigger, {
    description: "Ingests the tracked creators (INGEST_CREATORS) now, in the background. Admin key only.",
  })
  async triggerIngestion(@Ctx() ctx: GraphQLContext): Promise<IngestTrigger> {
    return Object.assign(new IngestTrigger(), await ctx.services.triggerIngestion(ctx.caller.name));
  }

  @Authorized("admin")
  @Query(() => [IngestRun], { description: "Recent ingestion runs, newest first. Admin key only." })
  ingestRuns(
    @Ctx() ctx: GraphQLContext,
    @Arg("limit", () => Int, { defaultValue: 10, description: "How many runs, 1 to 100." }) limit: number,
  ): Promise<IngestRun[]> {
    return ctx.services.ingestRuns(Math.min(Math.max(limit, 1), 100));
  }
}
