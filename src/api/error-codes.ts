import { GraphQLError, type ASTNode } from "graphql";

/**
 * Every `extensions.code` the API sets, in one place. Apollo's own codes (GRAPHQL_PARSE_FAILED,
 * GRAPHQL_VALIDATION_FAILED, INTERNAL_SERVER_ERROR, ...) come from Apollo Server, and type-graphql's
 * @Authorized raises its own access errors.
 */
export enum GraphQLErrorCode {
  /** The caller's arguments are wrong: the message says how to fix them. */
  BadUserInput = "BAD_USER_INPUT",
  /** No API key, or one that matches no configured key (HTTP 401). */
  Unauthenticated = "UNAUTHENTICATED",
  /** The operation nests deeper than the configured limit. */
  QueryTooDeep = "QUERY_TOO_DEEP",
  /** The operation selects more fields than the configured limit, fragments expanded. */
  QueryTooComplex = "QUERY_TOO_COMPLEX",
  /** A store the request needs is down; nothing was written: retry later (HTTP 503). */
  Unavailable = "SERVICE_UNAVAILABLE",
  /** The key spent its budget of points (RATE_LIMIT_<ROLE>): retry after `Retry-After` seconds (HTTP 429). */
  RateLimited = "RATE_LIMITED",
  /** The operation costs more points than QUERY_MAX_COST: ask for fewer items or split it (HTTP 400). */
  QueryTooCostly = "QUERY_TOO_COSTLY",
  /** The service is past its capacity and shed this request unrun: retry after `Retry-After` seconds (HTTP 503). */
  Overloaded = "OVERLOADED",
}

/** A GraphQL error with its code (and any other extensions, e.g. an HTTP status). */
export function graphQLError(
  code: GraphQLErrorCode,
  message: string,
  options: { extensions?: Record<string, unknown>; nodes?: readonly ASTNode[] } = {},
): GraphQLError {
  return new GraphQLError(message, { nodes: options.nodes, extensions: { code, ...options.extensions } });
}
