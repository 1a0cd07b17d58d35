import assert from "node:assert/strict";
import { Kind, parse, type OperationDefinitionNode } from "graphql";
import { describe, it } from "node:test";
import { queryCost } from "../../src/api/graphql/query-cost.js";

const cost = (source: string, variables: Record<string, unknown> = {}, name?: string) => {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode =>
      d.kind === Kind.OPERATION_DEFINITION && (name === undefined || d.name?.value === name),
  )!;
  return queryCost(document, operation, variables);
};

describe("query cost", () => {
  it("prices a lookup at one point and does not mark it expensive", () =>
    assert.deepEqual(cost("{ status { version } }"), { points: 1, expensive: false }));

  it("prices recommendations at 10 points per 10 items, similar* at 5", () => {
    assert.deepEqual(cost('{ recommendations(userId: "u") { __typename } }'), {
      points: 10,
      expensive: true,
    });
    assert.equal(cost('{ recommendations(userId: "u", first: 50) { __typename } }').points, 50);
    assert.equal(cost('{ recommendations(userId: "u", first: 11) { __typename } }').points, 20);
    assert.equal(cost('{ similarVideos(videoId: "v", first: 20) { __typename } }').points, 10);
    assert.equal(cost('{ similarCreators(creatorId: "c", first: 1) { __typename } }').points, 5);
  });

  it("reads first from the variables, then from the variable's default", () => {
    const q = 'query Q($n: Int! = 30) { recommendations(userId: "u", first: $n) { __typename } }';
    assert.equal(cost(q, { n: 50 }).points, 50);
    assert.equal(cost(q).points, 30);
  });

  it("counts every alias and every fragment spread", () => {
    const aliases = Array.from({ length: 5 }, (_, i) => `a${i}: recommendations(userId: "u") { __typename }`);
    assert.equal(cost(`{ ${aliases.join(" ")} status { version } }`).points, 51);
    const spread = `{ ...F ...F } fragment F on Query { similarVideos(videoId: "v") { __typename } }`;
    assert.equal(cost(spread).points, 10);
  });

  it("prices the named operation only", () => {
    const doc = 'query A { status { version } } query B { recommendations(userId: "u") { __typename } }';
    assert.equal(cost(doc, {}, "A").points, 1);
    assert.equal(cost(doc, {}, "B").points, 10);
  });
});
