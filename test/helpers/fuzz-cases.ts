import { seededRandom } from "../../src/platform/seeded-random.js";

/** One hostile request: a body (string or raw bytes), and headers beyond the key. */
export interface FuzzCase {
  kind: string;
  body: string | Uint8Array<ArrayBuffer>;
  headers?: Record<string, string>;
}

const FIELDS = [
  "status { version reranker { enabled } }",
  "recommendations(userId: $u, first: $n) { __typename ... on RecommendationPage { items { score video { videoId creator { username } } } } }",
  "similarVideos(videoId: $u, first: $n) { __typename }",
  "similarCreators(creatorId: $u, first: $n) { __typename }",
  "curation { value }",
  "ingestRuns { runId }",
  "cohorts { key }",
];
const MUTATIONS = [
  "curate(kind: BLOCK_CREATOR, value: $id) { value }",
  "refreshCohorts { cohorts }",
  "triggerIngestion { started }",
  "recordComment(input: {userId: $id, videoId: $id, text: $s}) { __typename }",
  "onboard(input: {userId: $id, country: $s, appVersion: $s, interests: [$s]}) { userId }",
];

/**
 * Deterministic hostile inputs for the GraphQL endpoint: random and adversarial documents (deep
 * nesting, alias and fragment bombs, cycles), hostile variables (huge, wrong types, odd Unicode),
 * broken bodies (invalid UTF-8, truncated JSON, batches, oversized).
 */
export function fuzzCases(count: number, seed = 11): FuzzCase[] {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const int = (n: number) => Math.floor(random() * n);
  const weirdString = () =>
    pick([
      "",
      "x".repeat(int(100_000)),
      "\u0000\u0001\uFFFF",
      "\uD800",
      "🛹".repeat(int(500)),
      "' OR 1=1 --",
      "../../etc/passwd",
      "<script>alert(1)</script>",
      "a".repeat(65),
      "demo-user-skater-pt",
      String(random()),
    ]);
  const weirdValue = (): unknown =>
    pick([
      weirdString(),
      int(1e9) - 5e8,
      1e308,
      -0,
      null,
      true,
      [],
      {},
      [weirdString()],
      { a: { b: { c: [1] } } },
      2 ** 53 + 1,
    ]);
  // Half the time the variables have the right types and hostile values, so the request runs.
  const variables = () =>
    random() < 0.5
      ? { u: weirdString(), id: weirdString(), s: weirdString(), n: int(200) - 100 }
      : { u: weirdValue(), id: weirdValue(), s: weirdValue(), n: weirdValue() };
  const jsonBody = (query: string, vars: unknown = variables()) => JSON.stringify({ query, variables: vars });
  const generators: (() => FuzzCase)[] = [
    () => ({
      kind: "random query",
      body: jsonBody(
        `query($u: ID!, $n: Int) { ${Array.from({ length: 1 + int(4) }, () => pick(FIELDS))
          .map((f, i) => `a${i}: ${f}`)
          .join(" ")} }`,
      ),
    }),
    () => ({
      kind: "random mutation",
      body: jsonBody(`mutation($id: ID!, $s: String!) { ${pick(MUTATIONS)} }`),
    }),
    () => ({
      kind: "deep nesting",
      body: jsonBody(`{ ${"status { weaviate { ".repeat(1 + int(60))}version${" } }".repeat(1)} }`),
    }),
    () => ({
      kind: "alias bomb",
      body: jsonBody(
        `{ ${Array.from({ length: 500 + int(5000) }, (_, i) => `a${i}: status { version }`).join(" ")} }`,
      ),
    }),
    () => ({
      kind: "fragment cycle",
      body: jsonBody("query { status { ...A } } fragment A on Status { ...B } fragment B on Status { ...A }"),
    }),
    () => ({
      kind: "fragment fan-out",
      body: jsonBody(
        `query { status { ...F0 } } ${Array.from({ length: 12 }, (_, i) => `fragment F${i} on Status { version ${i < 11 ? `...F${i + 1} ...F${i + 1}` : ""} }`).join(" ")}`,
      ),
    }),
    () => ({
      kind: "wrong variable types",
      body: JSON.stringify({
        query: "query($u: ID!, $n: Int) { recommendations(userId: $u, first: $n) { __typename } }",
        variables: { u: weirdValue(), n: pick(["ten", 1.5, -1, 1e12, [1], { n: 1 }]) },
      }),
    }),
    () => ({
      kind: "huge list variable",
      body: JSON.stringify({
        query:
          'query($l: [String!]) { recommendations(userId: "demo-user-0", filter: {languages: $l}) { __typename } }',
        variables: { l: Array.from({ length: int(50_000) }, () => "en") },
      }),
    }),
    () => ({
      kind: "invalid UTF-8",
      body: Uint8Array.from([0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]),
    }),
    () => ({ kind: "random bytes", body: Uint8Array.from({ length: 1 + int(2000) }, () => int(256)) }),
    () => ({ kind: "truncated JSON", body: jsonBody("{ status { version } }").slice(0, 1 + int(20)) }),
    () => ({
      kind: "batched array",
      body: JSON.stringify(Array.from({ length: 1 + int(50) }, () => ({ query: "{ status { version } }" }))),
    }),
    () => ({ kind: "not an object", body: pick(["null", "42", '"query"', "[]", "true"]) }),
    () => ({
      kind: "syntax garbage",
      body: jsonBody(
        Array.from({ length: int(300) }, () =>
          pick(["{", "}", "(", ")", "...", "$", ":", "query", "mutation", "@skip", "#", '"', "\\"]),
        ).join(" "),
      ),
    }),
    () => ({ kind: "oversized body", body: jsonBody(`{ status { version } } # ${"z".repeat(1_100_000)}`) }),
    () => ({
      kind: "wrong content type",
      body: "{ status { version } }",
      headers: {
        "content-type": pick([
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "application/json; charset=latin1",
        ]),
      },
    }),
    () => ({
      kind: "introspection depth",
      body: jsonBody(
        `{ __schema { types { fields { type { ofType { ofType { ofType { ofType { name ${"fields { type { name } } ".repeat(int(10))} } } } } } } } }`,
      ),
    }),
  ];
  return Array.from({ length: count }, (_, i) => generators[i % generators.length]!());
}
