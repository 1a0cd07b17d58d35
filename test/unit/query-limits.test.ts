import assert from "node:assert/strict";
import { buildSchema, getIntrospectionQuery, parse, validate, specifiedRules } from "graphql";
import { describe, it } from "node:test";
import { queryLimitsRule } from "../../src/api/graphql/query-limits.js";

const schema = buildSchema(`type Node { id: ID, child: Node, name: String } type Query { node: Node }`);
const check = (q: string) =>
  validate(schema, parse(q), [...specifiedRules, queryLimitsRule({ maxDepth: 5, maxFields: 50 })]).map(
    (e) => e.extensions.code ?? e.message,
  );

describe("query limits", () => {
  it("lets ordinary queries through", () => assert.deepEqual(check("{ node { id child { id name } } }"), []));

  it("refuses deep nesting", () =>
    assert.deepEqual(check("{ node { child { child { child { child { child { id } } } } } } }"), [
      "QUERY_TOO_DEEP",
    ]));

  it("refuses alias bombs", () => {
    const aliases = Array.from({ length: 60 }, (_, i) => `a${i}: node { id }`).join(" ");
    assert.deepEqual(check(`{ ${aliases} }`), ["QUERY_TOO_COMPLEX"]);
  });

  it("refuses fragment bombs, counting each spread", () => {
    const q = `{ node { ...F3 } } fragment F0 on Node { id name } fragment F1 on Node { a: child { ...F0 } b: child { ...F0 } c: child { ...F0 } }
      fragment F2 on Node { a: child { ...F1 } b: child { ...F1 } c: child { ...F1 } } fragment F3 on Node { a: child { ...F2 } b: child { ...F2 } c: child { ...F2 } }`;
    assert.ok(check(q).includes("QUERY_TOO_COMPLEX") || check(q).includes("QUERY_TOO_DEEP"));
  });

  it("lets the standard introspection query through", () => {
    const full = validate(schema, parse(getIntrospectionQuery()), [...specifiedRules, queryLimitsRule()]);
    assert.deepEqual(full, []);
  });
});
