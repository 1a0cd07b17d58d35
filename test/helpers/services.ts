import { graphql, type GraphQLSchema } from "graphql";
import assert from "node:assert/strict";
import type { Encoder } from "../../src/embed/encoder.js";
import type { Services } from "../../src/api/services.js";
import { createLoaders } from "../../src/api/graphql/loaders.js";
import { silentLogger } from "../../src/platform/logger.js";
import type { RecommendDeps } from "../../src/recommend/recommend-deps.js";
import { createServices, type ServiceOptions } from "../../src/app/create-services.js";
import { createMetrics } from "../../src/platform/metrics.js";
import type { WeaviateHandle } from "../../src/store/weaviate-handle.js";

/** The real services over a test Weaviate, without result caching, rerank only when given. */
export function testServices(
  weaviate: WeaviateHandle,
  encoder: Encoder,
  rerank?: RecommendDeps["rerank"],
  extra: Partial<ServiceOptions> = {},
): Services {
  const rerankStatus = { enabled: Boolean(rerank), budgetMs: rerank?.settings.budgetMs ?? 0 };
  return createServices({ weaviate, rerank, coldStart: { minComments: 3, minMembers: 3 } }, encoder, {
    rerankStatus,
    metrics: createMetrics(),
    log: silentLogger,
    ...extra,
  });
}

/** Runs an operation through the real schema as a caller of this role; fails the test on errors unless asked for them. */
export function runner(schema: () => GraphQLSchema, services: () => Services) {
  return async (
    source: string,
    variableValues: Record<string, unknown> = {},
    opts: { role?: "admin" | "partner"; operationName?: string; errors?: boolean } = {},
  ) => {
    const contextValue = {
      caller: { name: "test", role: opts.role ?? "admin" },
      services: services(),
      loaders: createLoaders(services()),
    };
    const result = await graphql({
      schema: schema(),
      source,
      variableValues,
      operationName: opts.operationName,
      contextValue,
    });
    if (opts.errors) return result as any;
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    return result.data as any;
  };
}
