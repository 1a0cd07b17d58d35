import { lexicographicSortSchema, printSchema } from "graphql";
import { buildGraphQLSchema } from "./schema.js";

/** The SDL committed as schema/schema.graphql; sorted so the file diffs cleanly. */
export async function printGraphQLSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildGraphQLSchema()))}\n`;
}
