import { Arg, Authorized, Ctx, Int, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "./context.js";
import { IngestRun } from "./ingest-run.type.js";

@Resolver()
export class IngestRunsResolver {
  @Authorized("admin")
  @Query(() => [IngestRun], { description: "Recent ingestion runs, newest first. Admin key only." })
  ingestRuns(
    @Ctx() ctx: GraphQLContext,
    @Arg("limit", () => Int, { defaultValue: 10, description: "How many runs, 1 to 100." }) limit: number,
  ): Promise<IngestRun[]> {
    return ctx.services.ingestRuns(Math.min(Math.max(limit, 1), 100));
  }
}
