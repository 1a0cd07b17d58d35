import { Ctx, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "./context.js";
import { Status } from "./status.type.js";

@Resolver()
export class StatusResolver {
  @Query(() => Status, { description: "Versions, object counts and the models in use." })
  status(@Ctx() ctx: GraphQLContext): Promise<Status> {
    return ctx.services.status() as Promise<Status>;
  }
}
