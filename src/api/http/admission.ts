import { HeaderMap, type ApolloServerPlugin } from "@apollo/server";
import type { Config } from "../../platform/config/config.js";
import type { Metrics } from "../../platform/metrics.js";
import { hashKey } from "../../platform/config/api-keys.js";
import { presentedKey } from "../auth/api-keys.js";
import { GraphQLErrorCode, graphQLError } from "../error-codes.js";
import type { GraphQLContext } from "../graphql/context.js";
import { PAGE, ROOT_FIELD_POINTS, queryCost } from "../graphql/query-cost.js";
import { describeAdmissionMetrics, KEY_REQUESTS } from "./admission-metrics.js";
import { ConcurrencyLimit, type Release } from "./concurrency-limit.js";
import { KeyBuckets } from "./token-bucket.js";

export type AdmissionSettings = Config["admission"];

/** A shed request is told to come back after this long: the limiter adapts within a second. */
const SHED_RETRY_AFTER_S = 1;

/**
 * Fair use and overload protection, as an Apollo plugin so it sees the caller (from the context)
 * and the parsed operation, after validation and before anything runs:
 * 1. the operation's cost in points (query-cost.ts); over QUERY_MAX_COST it is refused (400);
 * 2. the points are taken from the key's token bucket, by its role; empty: 429 with Retry-After;
 * 3. an expensive operation (recommendations, similar*) takes a slot of the adaptive concurrency
 *    limit, held until its response is sent; none free in time: 503 with Retry-After, points
 *    refunded. Everything else (status, lookups, events, admin) is never shed, and /health and
 *    /metrics never reach Apollo.
 */
export function admissionControl(settings: AdmissionSettings, metrics?: Metrics): Admission {
  const buckets = new KeyBuckets(
    (role) => settings.rateLimits[role as keyof AdmissionSettings["rateLimits"]],
  );
  const limiter = settings.concurrency && new ConcurrencyLimit(settings.concurrency);
  if (metrics) describeAdmissionMetrics(metrics, limiter);
  const count = (key: string, outcome: string) => metrics?.count(KEY_REQUESTS, { key, outcome });
  // For the early refusal: the key names of digests that authenticated (so at most one entry per
  // configured key), and the cheapest operation each name has sent.
  const names = new Map<string, string>();
  const cheapest = new Map<string, number>();

  const plugin: ApolloServerPlugin<GraphQLContext> = {
    async requestDidStart() {
      let release: Release | undefined;
      return {
        async didResolveOperation(rc) {
          if (!rc.operation) return; // Apollo has refused it already
          const key = rc.contextValue.caller.name;
          const role = settings.anonymousCallers ? "anonymous" : rc.contextValue.caller.role;
          const cost = queryCost(rc.document, rc.operation, rc.request.variables ?? {});
          const presented = presentedKey(rc.request.http!.headers);
          if (presented && !settings.anonymousCallers) names.set(hashKey(presented), key);
          cheapest.set(key, Math.min(cheapest.get(key) ?? Infinity, cost.points));
          if (settings.maxQueryCost > 0 && cost.points > settings.maxQueryCost) {
            count(key, "too_costly");
            throw graphQLError(
              GraphQLErrorCode.QueryTooCostly,
              `this operation costs ${cost.points} points, over the limit of ${settings.maxQueryCost} per operation (${costRules()}): ask for fewer items or split it into several requests`,
              { extensions: { cost: cost.points, maxCost: settings.maxQueryCost, http: head(400) } },
            );
          }
          const taken = buckets.take(key, role, cost.points);
          if (!taken.ok) {
            count(key, "limited");
            const budget = settings.rateLimits[role as keyof AdmissionSettings["rateLimits"]]!;
            throw graphQLError(
              GraphQLErrorCode.RateLimited,
              `API key "${key}" is over its budget of ${budget.rate} points per second (burst ${budget.burst}); this operation costs ${cost.points}: retry in ${taken.retryAfterS} s`,
              {
                extensions: {
                  cost: cost.points,
                  retryAfter: taken.retryAfterS,
                  http: head(429, taken.retryAfterS),
                },
              },
            );
          }
          if (cost.expensive && limiter) {
            release = await limiter.acquire();
            if (!release) {
              buckets.refund(key, cost.points);
              count(key, "shed");
              throw graphQLError(
                GraphQLErrorCode.Overloaded,
                `the service is at capacity (${limiter.limit} requests of this kind in flight): retry in ${SHED_RETRY_AFTER_S} s`,
                { extensions: { retryAfter: SHED_RETRY_AFTER_S, http: head(503, SHED_RETRY_AFTER_S) } },
              );
            }
          }
          count(key, "admitted");
          metrics?.count("api_key_points_total", { key }, cost.points);
        },
        async willSendResponse() {
          release?.();
          release = undefined;
        },
      };
    },
  };

  return {
    plugin,
    earlyRefusal(headers) {
      const presented = presentedKey(headers);
      const name = settings.anonymousCallers ? "anonymous" : presented && names.get(hashKey(presented));
      if (!name) return undefined;
      const short = buckets.shortOf(name, cheapest.get(name) ?? 1);
      if (short === undefined) return undefined;
      count(name, "limited");
      return {
        retryAfterS: short.retryAfterS,
        body: {
          errors: [
            {
              message: `API key "${name}" is over its budget of ${short.budget.rate} points per second (burst ${short.budget.burst}): retry in ${short.retryAfterS} s`,
              extensions: { code: GraphQLErrorCode.RateLimited, retryAfter: short.retryAfterS },
            },
          ],
        },
      };
    },
  };
}

export interface Admission {
  plugin: ApolloServerPlugin<GraphQLContext>;
  /**
   * The 429 for a request whose key's bucket cannot pay for the cheapest operation that key has
   * sent, answered before its body is read or Apollo runs: a noisy key's excess then costs the
   * server almost nothing. Undefined: let it through to the plugin, which decides on its real cost.
   */
  earlyRefusal(headers: {
    get(name: string): string | undefined;
  }): { retryAfterS: number; body: unknown } | undefined;
}

function head(status: number, retryAfterS?: number) {
  const headers = new HeaderMap();
  if (retryAfterS !== undefined) headers.set("retry-after", String(retryAfterS));
  return { status, headers };
}

const costRules = () =>
  `${Object.entries(ROOT_FIELD_POINTS)
    .map(([field, points]) => `${field} ${points}`)
    .join(", ")} points per ${PAGE} items, any other field 1`;
