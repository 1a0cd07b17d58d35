import type { GraphQLError } from "graphql";
import { GraphQLErrorCode, graphQLError } from "../error-codes.js";

/** Bad arguments are the caller's to fix: a clear message and BAD_USER_INPUT. */
export function badInput(message: string): GraphQLError {
  return graphQLError(GraphQLErrorCode.BadUserInput, message);
}

export function checkFirst(first: number, max = 50): number {
  if (!Number.isInteger(first) || first < 1 || first > max)
    throw badInput(`first must be between 1 and ${max}, got ${first}`);
  return first;
}

export function checkId(name: string, value: string): string {
  if (!/^[\w.-]{1,64}$/.test(value)) throw badInput(`${name} must be 1-64 letters, digits, '.', '_' or '-'`);
  return value;
}
