import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { isInputObjectType, isObjectType, isSpecifiedScalarType } from "graphql";
import { buildGraphQLSchema } from "../../src/api/graphql/schema.js";
import { REPO_ROOT } from "../../src/platform/paths.js";
import { printGraphQLSchema } from "../../src/api/graphql/print-schema.js";

it("schema/schema.graphql matches the code (run `npm run schema:emit` after changing types)", async () => {
  const committed = readFileSync(join(REPO_ROOT, "schema", "schema.graphql"), "utf8");
  assert.equal(committed, await printGraphQLSchema());
});

it("every type and field carries a description for partners reading the schema", async () => {
  const schema = await buildGraphQLSchema();
  const roots = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean),
  );
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__") || isSpecifiedScalarType(type)) continue;
    if (!roots.has(type as never) && !type.description) missing.push(type.name);
    if (isObjectType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()))
        if (!field.description) missing.push(`${type.name}.${field.name}`);
    }
  }
  assert.deepEqual(missing, []);
});
