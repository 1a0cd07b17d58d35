import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { StatusResolver } from "./status.resolver.js";

/** The one list of resolvers; schema/schema.graphql is printed from this. */
export function buildGraphQLSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers: [StatusResolver], validate: false });
}
